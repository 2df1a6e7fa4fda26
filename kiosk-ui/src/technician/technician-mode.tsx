// PLACEHOLDER (being written)
export function TechnicianMode() {
  return <main class="screen" data-screen="placeholder" />;
}
