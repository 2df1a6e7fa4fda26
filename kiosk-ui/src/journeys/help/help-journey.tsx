// PLACEHOLDER (being written): replaced by the journey's screens.
export function HelpJourney() {
  return <main class="screen" data-screen="placeholder" />;
}
