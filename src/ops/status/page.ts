import { STATUS_TEXT, type StatusLanguage } from './page-language.js';
import type { statusOverview } from './service.js';

type Overview = Awaited<ReturnType<typeof statusOverview>>;

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const percent = (value: number | null, noData: string): string => (value === null ? noData : `${value.toFixed(value === 100 ? 0 : 3)} %`);

function barColor(value: number | null): string {
  if (value === null) return '#d0d4d9';
  if (value >= 99.9) return '#2f9e44';
  if (value >= 99) return '#f59f00';
  return '#e03131';
}

// Text on these backgrounds keeps WCAG AA contrast (4.5:1 and more with white text).
const GREEN = '#1e6b30';
const RED = '#b02525';

/**
 * The public status page: server-rendered, no script at all, so it works under the strict CSP and
 * when the SPA does not. No meta refresh (it moves the page under a reader, WCAG 2.2.1): a Reload link.
 */
export function renderStatusPage(overview: Overview, language: StatusLanguage = 'en'): string {
  const text = STATUS_TEXT[language];
  const other = language === 'en' ? 'ja' : 'en';
  const components = overview.components
    .map((c) => {
      const bars = c.days
        .map((d) => `<span class="bar" style="background:${barColor(d.percent)}" title="${d.day}: ${percent(d.percent, text.noData)}"></span>`)
        .join('');
      const months = c.months.map((m) => `<td>${m.month}: ${percent(m.percent, text.noData)}</td>`).join('');
      return `<section class="component">
  <h2>${escape(text.component(c.name))} <span class="state ${c.state}">${c.state === 'up' ? text.up : text.down}</span></h2>
  <div class="bars" role="img" aria-label="${escape(`${text.uptimeFor90Days}: ${percent(c.uptime90Days, text.noData)}`)}">${bars}</div>
  <p class="legend">${escape(text.legend(percent(c.uptime90Days, text.noData)))}</p>
  <table><tr>${months}</tr></table>
</section>`;
    })
    .join('\n');
  const incidents = overview.incidents.length
    ? overview.incidents
        .map(
          (i) => `<article class="incident">
  <h3>${escape(i.title)} <small>${escape(text.incidentStates[i.state] ?? i.state)}</small></h3>
  ${i.updates.map((u) => `<p><time datetime="${u.at}">${u.at.replace('T', ' ').slice(0, 16)} UTC</time> <strong>${escape(text.incidentStates[u.state] ?? u.state)}</strong> ${escape(u.message)}</p>`).join('\n  ')}
</article>`,
        )
        .join('\n')
    : `<p>${escape(text.noIncidents)}</p>`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(text.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 860px; margin: 2rem auto; padding: 0 1rem; color: #1a1b1e; }
.summary { padding: 1rem; border-radius: 6px; color: #fff; background: ${overview.status === 'operational' ? GREEN : RED}; }
.bars { display: flex; gap: 1px; height: 32px; }
.bar { flex: 1; border-radius: 1px; }
.state { font-size: 0.8rem; padding: 0.1rem 0.5rem; border-radius: 4px; color: #fff; }
.state.up { background: ${GREEN}; } .state.down { background: ${RED}; }
.legend { color: #595959; font-size: 0.8rem; } table td { padding-right: 1.5rem; font-size: 0.9rem; }
nav { display: flex; gap: 1rem; justify-content: flex-end; font-size: 0.9rem; }
a { color: #1864ab; } a:focus-visible { outline: 3px solid #1864ab; outline-offset: 2px; }
</style>
</head>
<body>
<nav aria-label="${escape(text.title)}"><a href="/status?lang=${language}">${escape(text.reload)}</a> <a href="/status?lang=${other}" lang="${other}" hreflang="${other}">${escape(text.otherLanguage)}</a></nav>
<main>
<h1>${escape(text.title)}</h1>
<p class="summary">${escape(overview.status === 'operational' ? text.operational : text.degraded)} · ${escape(text.checked(overview.checkedAt.replace('T', ' ').slice(0, 19)))}</p>
${components || `<p>${escape(text.noProbes)}</p>`}
<h2>${escape(text.incidents)}</h2>
${incidents}
<p class="legend">${escape(text.footer)} <a href="/api/status">/api/status</a>.</p>
</main>
</body>
</html>`;
}
