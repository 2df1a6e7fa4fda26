// PLACEHOLDER (being written): replaced by the journey's screens.
export function PhotoJourney() {
  return <main class="screen" data-screen="placeholder" />;
}
