// PLACEHOLDER (being written): replaced by the journey's screens.
export function TrackJourney() {
  return <main class="screen" data-screen="placeholder" />;
}
