// PLACEHOLDER (being written): replaced by the journey's screens.
export function ApplyJourney() {
  return <main class="screen" data-screen="placeholder" />;
}
