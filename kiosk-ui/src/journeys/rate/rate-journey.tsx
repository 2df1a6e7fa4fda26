// PLACEHOLDER (being written)
export function RateJourney() {
  return <main class="screen" data-screen="placeholder" />;
}
export function RateAfterService() {
  return <main class="screen" data-screen="placeholder" />;
}
