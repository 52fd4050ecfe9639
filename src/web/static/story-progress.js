// The editor's story page while a video converts: polls the story's status and moves the progress bar, then reloads
// the page once the conversion has finished or failed. Without JavaScript the page has a refresh link instead.
/* global document, location, fetch, setTimeout */
(() => {
  const box = document.querySelector('[data-story-status]');
  if (!box) return;
  const url = box.getAttribute('data-story-status');
  const bar = box.querySelector('progress');
  const percent = box.querySelector('[data-percent]');
  const tick = async () => {
    try {
      const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (res.ok) {
        const status = await res.json();
        if (bar) bar.value = status.progress;
        if (percent) percent.textContent = `${Math.round(status.progress * 100)}%`;
        if (status.state !== 'uploaded' && status.state !== 'converting') {
          location.reload();
          return;
        }
      }
    } catch {
      // A dropped connection: try again at the next tick.
    }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
})();
