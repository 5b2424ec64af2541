import type { statusOverview } from './service.js';

type Overview = Awaited<ReturnType<typeof statusOverview>>;

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const percent = (value: number | null): string => (value === null ? 'no data' : `${value.toFixed(value === 100 ? 0 : 3)} %`);

function barColor(value: number | null): string {
  if (value === null) return '#d0d4d9';
  if (value >= 99.9) return '#2f9e44';
  if (value >= 99) return '#f59f00';
  return '#e03131';
}

/** The public status page: server-rendered, no script at all, so it works under the strict CSP and when the SPA does not. */
export function renderStatusPage(overview: Overview): string {
  const components = overview.components
    .map((c) => {
      const bars = c.days.map((d) => `<span class="bar" style="background:${barColor(d.percent)}" title="${d.day}: ${percent(d.percent)}"></span>`).join('');
      const months = c.months.map((m) => `<td>${m.month}: ${percent(m.percent)}</td>`).join('');
      return `<section class="component">
  <h2>${escape(c.name)} <span class="state ${c.state}">${c.state === 'up' ? 'Operational' : 'Down'}</span></h2>
  <div class="bars" aria-label="uptime for 90 days">${bars}</div>
  <p class="legend">90 days ago · ${percent(c.uptime90Days)} uptime · today</p>
  <table><tr>${months}</tr></table>
</section>`;
    })
    .join('\n');
  const incidents = overview.incidents.length
    ? overview.incidents
        .map(
          (i) => `<article class="incident">
  <h3>${escape(i.title)} <small>${escape(i.state)}</small></h3>
  ${i.updates.map((u) => `<p><time datetime="${u.at}">${u.at.replace('T', ' ').slice(0, 16)} UTC</time> <strong>${escape(u.state)}</strong> ${escape(u.message)}</p>`).join('\n  ')}
</article>`,
        )
        .join('\n')
    : '<p>No incidents in the last 90 days.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="60">
<title>Chorus status</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 860px; margin: 2rem auto; padding: 0 1rem; color: #1a1b1e; }
.summary { padding: 1rem; border-radius: 6px; color: #fff; background: ${overview.status === 'operational' ? '#2f9e44' : '#e03131'}; }
.bars { display: flex; gap: 1px; height: 32px; }
.bar { flex: 1; border-radius: 1px; }
.state { font-size: 0.8rem; padding: 0.1rem 0.5rem; border-radius: 4px; color: #fff; }
.state.up { background: #2f9e44; } .state.down { background: #e03131; }
.legend { color: #666; font-size: 0.8rem; } table td { padding-right: 1.5rem; font-size: 0.9rem; }
</style>
</head>
<body>
<h1>Chorus status</h1>
<p class="summary">${overview.status === 'operational' ? 'All systems operational' : 'Some systems are degraded'} · checked ${overview.checkedAt.replace('T', ' ').slice(0, 19)} UTC</p>
${components || '<p>No probes recorded yet.</p>'}
<h2>Incidents</h2>
${incidents}
<p class="legend">Measured by Chorus's own health probes. Machine-readable: <a href="/api/status">/api/status</a>.</p>
</body>
</html>`;
}
