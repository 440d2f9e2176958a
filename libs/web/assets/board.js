// Live capacity: the page works without this; with it, the board refreshes itself when capacity
// changes. The stream authenticates with the session cookie; EventSource reconnects by itself after
// a dropped connection and the server starts it with a fresh snapshot, so no change is missed.
const live = document.getElementById('capacity');
const announce = document.getElementById('capacity-live');
if (live && 'EventSource' in window) {
  const source = new EventSource(live.dataset.stream);
  let first = true;
  const refresh = async () => {
    const response = await fetch(window.location.href, { credentials: 'same-origin' });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    for (const id of ['capacity', 'capacity-units']) {
      const fresh = page.getElementById(id);
      const current = document.getElementById(id);
      if (fresh && current) current.replaceWith(fresh);
    }
    if (announce) announce.textContent = 'Capacity updated at ' + new Date().toLocaleTimeString('en-GB');
  };
  const onChange = () => {
    // The page was rendered from the same read model: the first snapshot brings nothing new.
    if (first) {
      first = false;
      return;
    }
    refresh().catch(() => undefined);
  };
  source.addEventListener('snapshot', onChange);
  source.addEventListener('delta', onChange);
  document.body.dataset.capacityLive = 'connected';
}
