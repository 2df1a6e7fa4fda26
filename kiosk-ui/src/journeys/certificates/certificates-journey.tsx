// PLACEHOLDER (being written): replaced by the journey's screens.
export function CertificatesJourney() {
  return <main class="screen" data-screen="placeholder" />;
}
