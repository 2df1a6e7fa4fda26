// PLACEHOLDER (being written): replaced by the journey's screens.
export function BillsJourney() {
  return <main class="screen" data-screen="placeholder" />;
}
