// LrDoctor's built-in dashboard: a runs list (#/) and a run page (#/runs/ID), drawn from the daemon's HTTP API
// with uPlot, refreshed by polling while a run trains. Plain script, no build step: the daemon serves it as is.
(() => {
  'use strict';

  // Okabe-Ito, a palette that stays distinct under the common colour-vision deficiencies.
  const COLORS = { blue: '#0072B2', orange: '#E69F00', green: '#009E73', vermillion: '#D55E00', purple: '#CC79A7', sky: '#56B4E9', black: '#000000' };
  const GROUP_COLORS = [COLORS.blue, COLORS.orange, COLORS.green, COLORS.purple, COLORS.sky, COLORS.vermillion, COLORS.black];
  const POLL_MS = 2000;
  const MAX_POINTS = 2000; // per chart: the API's every= downsamples a long run to about this many steps
  const LIVE_STATES = new Set(['queued', 'running']);
  const CHART_HEIGHT = 250;

  const app = document.getElementById('app');
  const status = document.getElementById('status');
  let view = { timer: 0, charts: [], disposed: false };

  // ---------- data ----------

  async function api(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  /** The API answers a bare array or an envelope; both read the same here. */
  function list(payload) {
    if (payload == null) return [];
    if (Array.isArray(payload)) return payload;
    for (const key of ['items', 'runs', 'steps', 'events', 'data']) {
      if (Array.isArray(payload[key])) return payload[key];
    }
    return [];
  }

  /** A finite number, or null (LrDoctor's JSON writes NaN and infinities as strings). */
  function num(value) {
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'string' && value.trim() !== '') {
      const parsed = Number(value);
      return Number.isFinite(parsed) ? parsed : null;
    }
    return null;
  }

  function fmt(value) {
    const v = num(value);
    if (v == null) return value == null ? '—' : String(value);
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
    return Number(v.toPrecision(4)).toString();
  }

  function esc(text) {
    return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  const isIntervention = (e) => e.kind !== 'finding' && num(e.newLr) != null;

  /** Symptoms found and not yet treated: a finding opens one, an intervention naming it (or the run's end) closes it. */
  function activeSymptoms(events, state) {
    if (!LIVE_STATES.has(state)) return [];
    const active = new Set();
    for (const e of events) {
      if (e.kind === 'finding' && e.symptom) active.add(e.symptom);
      else if (isIntervention(e) && e.symptom) active.delete(e.symptom);
    }
    return [...active];
  }

  function lastOf(steps, field) {
    for (let i = steps.length - 1; i >= 0; i--) {
      const v = num(steps[i][field]);
      if (v != null) return v;
    }
    return null;
  }

  const enc = encodeURIComponent;
  const everyFor = (lastStep) => Math.max(1, Math.ceil((lastStep + 1) / MAX_POINTS));

  // ---------- view lifecycle ----------

  function resetView() {
    view.disposed = true;
    clearTimeout(view.timer);
    for (const chart of view.charts) {
      resizer.unobserve(chart.wrapper);
      chart.plot.destroy();
    }
    view = { timer: 0, charts: [], disposed: false };
    app.innerHTML = '';
  }

  function schedule(current, fn) {
    if (current.disposed) return;
    current.timer = setTimeout(async () => {
      if (current.disposed) return;
      try {
        await fn();
        setStatus(`updated ${new Date().toLocaleTimeString()}`);
      } catch (err) {
        setStatus(`update failed: ${err.message}`, true);
      }
      schedule(current, fn);
    }, POLL_MS);
  }

  function setStatus(text, isError = false) {
    status.textContent = text;
    status.classList.toggle('error', isError);
  }

  async function route() {
    resetView();
    const match = /^#\/runs\/(.+)$/.exec(location.hash);
    try {
      if (match) await showRun(decodeURIComponent(match[1]));
      else await showRuns();
      setStatus(`updated ${new Date().toLocaleTimeString()}`);
    } catch (err) {
      app.innerHTML = `<p class="error">Could not load: ${esc(err.message)}</p>`;
      setStatus('error', true);
    }
  }

  // ---------- runs list ----------

  // A finished run's row does not change: it is fetched once, not on every poll.
  const finishedRows = new Map();

  async function runSummary(run) {
    const key = `${run.state}:${run.step}`;
    const cached = finishedRows.get(run.id);
    if (cached && cached.key === key) return cached.summary;
    const summary = await fetchRunSummary(run);
    if (!LIVE_STATES.has(run.state)) finishedRows.set(run.id, { key, summary });
    return summary;
  }

  async function fetchRunSummary(run) {
    const step = num(run.step) ?? -1;
    const [recent, events] = await Promise.all([
      step >= 0 ? api(`/api/runs/${enc(run.id)}/steps?from=${Math.max(0, step - 500)}&to=${step}`).then(list) : [],
      api(`/api/runs/${enc(run.id)}/events`).then(list),
    ]);
    return {
      run,
      trainLoss: lastOf(recent, 'trainLoss'),
      valLoss: lastOf(recent, 'valLoss'),
      lr: lastOf(recent, 'lr'),
      symptoms: activeSymptoms(events, run.state),
      interventions: events.filter(isIntervention).length,
    };
  }

  function runsTable(summaries) {
    if (summaries.length === 0) {
      return '<p class="empty">No runs yet. Start one with <code>POST /api/runs</code> (a job spec) or a job with <code>autoStart</code> in appsettings.json.</p>';
    }
    const rows = summaries.map((s) => `
      <tr class="run-row" data-run-id="${esc(s.run.id)}">
        <td><a href="#/runs/${enc(s.run.id)}">${esc(s.run.name ?? s.run.id)}</a></td>
        <td><span class="badge state-${esc(s.run.state)}">${esc(s.run.state)}</span></td>
        <td class="num">${esc(num(s.run.step) ?? '—')}</td>
        <td class="num">${fmt(s.trainLoss)}</td>
        <td class="num">${fmt(s.valLoss)}</td>
        <td class="num">${fmt(s.lr)}</td>
        <td>${s.symptoms.length ? s.symptoms.map((x) => `<span class="symptom">${esc(x)}</span>`).join('') : '<span class="none">none</span>'}</td>
        <td class="num">${s.interventions}</td>
      </tr>`).join('');
    return `<table class="runs" aria-label="Training runs">
      <thead><tr><th scope="col">Run</th><th scope="col">State</th><th scope="col" class="num">Step</th>
        <th scope="col" class="num">Train loss</th><th scope="col" class="num">Val loss</th><th scope="col" class="num">LR</th>
        <th scope="col">Active symptoms</th><th scope="col" class="num">Interventions</th></tr></thead>
      <tbody>${rows}</tbody></table>`;
  }

  async function showRuns() {
    const current = view;
    const draw = async () => {
      const runs = list(await api('/api/runs')).slice(0, 100);
      const summaries = await Promise.all(runs.map(runSummary));
      if (current.disposed) return;
      app.innerHTML = `<h1>Runs</h1>${runsTable(summaries)}`;
    };
    await draw();
    schedule(current, draw);
  }

  // ---------- charts ----------

  /**
   * Draws finding onsets (dashed orange, symptom named at the bottom) and interventions (solid vermillion, old LR -> new LR
   * at the top) as vertical lines. Labels take the first free row; one that fits nowhere is left to the events table.
   */
  function drawMarkers(u, markers) {
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    const dpr = window.devicePixelRatio || 1;
    const rows = { top: [-Infinity, -Infinity, -Infinity], bottom: [-Infinity, -Infinity] };
    ctx.save();
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    for (const m of [...markers].sort((a, b) => a.x - b.x)) {
      const x = Math.round(u.valToPos(m.x, 'x', true));
      if (!Number.isFinite(x) || x < left || x > left + width) continue;
      ctx.beginPath();
      ctx.strokeStyle = m.color;
      ctx.lineWidth = 1.5 * dpr;
      ctx.setLineDash(m.dashed ? [5 * dpr, 4 * dpr] : []);
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      if (!m.label) continue;
      const w = ctx.measureText(m.label).width;
      const start = x + 4 * dpr + w > left + width ? x - 4 * dpr - w : x + 4 * dpr;
      const place = m.kind === 'finding' ? rows.bottom : rows.top;
      const row = place.findIndex((end) => end + 6 * dpr < start);
      if (row < 0) continue;
      place[row] = start + w;
      const y = m.kind === 'finding' ? top + height - (6 + 13 * row) * dpr : top + (12 + 13 * row) * dpr;
      ctx.fillStyle = m.color;
      ctx.fillText(m.label, start, y);
    }
    ctx.restore();
  }

  /** Tick labels: every tick on a linear axis, only the powers of ten on a log axis (the others stay as unlabelled ticks). */
  function tickLabel(v, log) {
    if (v == null) return '';
    if (!log) return fmt(v);
    const exponent = Math.log10(v);
    return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? fmt(v) : '';
  }

  function makeChart(container, spec) {
    const wrapper = document.createElement('figure');
    wrapper.className = 'chart';
    wrapper.dataset.chart = spec.id;
    wrapper.innerHTML = `<h3>${esc(spec.title)}</h3>`;
    const note = document.createElement('p');
    note.className = 'note';
    container.appendChild(wrapper);
    const host = document.createElement('div');
    wrapper.appendChild(host);
    wrapper.appendChild(note);

    const chart = { spec, wrapper, note, markers: [], plot: null };
    const axisStyle = { stroke: '#1a1a1a', grid: { stroke: '#e6e6e6' }, ticks: { stroke: '#cccccc' } };
    const opts = {
      width: Math.max(300, wrapper.clientWidth - 12),
      height: CHART_HEIGHT,
      scales: {
        x: spec.xLog ? { time: false, distr: 3, log: 10 } : { time: false },
        y: spec.yLog ? { distr: 3, log: 10 } : {},
      },
      axes: [
        { ...axisStyle, label: spec.xLabel, labelSize: 20, values: (u, vals) => vals.map((v) => tickLabel(v, spec.xLog)) },
        { ...axisStyle, label: spec.yLabel, labelSize: 20, size: 64, values: (u, vals) => vals.map((v) => tickLabel(v, spec.yLog)) },
      ],
      series: [
        { label: spec.xLabel, value: (u, v) => (v == null ? '—' : fmt(v)) },
        ...spec.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.6,
          dash: s.dash,
          spanGaps: true,
          points: { show: s.points ?? false, size: 4, fill: s.color },
          value: (u, v) => fmt(v),
        })),
      ],
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      hooks: { draw: [(u) => drawMarkers(u, chart.markers)] },
    };
    chart.plot = new uPlot(opts, [[], ...spec.series.map(() => [])], host);
    view.charts.push(chart);
    resizer.observe(wrapper);
    return chart;
  }

  /** Replaces a chart's data and markers; keeps values a log axis cannot show (zero, negative, non-finite) out as gaps. */
  function setChartData(chart, xs, columns, markers, extraNote = '') {
    const clean = columns.map((col) => col.map((v) => {
      const n = num(v);
      return n == null || (chart.spec.yLog && n <= 0) ? null : n;
    }));
    chart.markers = markers;
    chart.plot.setData([xs, ...clean]);
    const points = xs.filter((_, i) => clean.some((col) => col[i] != null)).length;
    const interventions = markers.filter((m) => m.kind === 'intervention').length;
    const findings = markers.filter((m) => m.kind === 'finding').length;
    chart.wrapper.dataset.points = String(points);
    chart.wrapper.dataset.interventions = String(interventions);
    chart.wrapper.dataset.findings = String(findings);
    chart.note.textContent = `${points} points${extraNote}; ${findings} finding onset(s) dashed orange, ${interventions} intervention(s) solid vermillion`;
  }

  function eventMarkers(events) {
    return events.flatMap((e) => {
      const x = num(e.step);
      if (x == null) return [];
      if (e.kind === 'finding') return [{ x, kind: 'finding', color: COLORS.orange, dashed: true, label: e.symptom ?? '' }];
      if (isIntervention(e)) return [{ x, kind: 'intervention', color: COLORS.vermillion, dashed: false, label: `${fmt(e.oldLr)} → ${fmt(e.newLr)}` }];
      return [];
    });
  }

  // Charts follow their grid cell: the cell narrows when a neighbour is added, and on window resize.
  const resizer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const chart = view.charts.find((c) => c.wrapper === entry.target);
      const width = Math.max(300, Math.floor(entry.contentRect.width) - 4);
      if (chart && Math.abs(chart.plot.width - width) > 1) chart.plot.setSize({ width, height: CHART_HEIGHT });
    }
  });

  // ---------- run page ----------

  function groupCount(steps) {
    let n = 0;
    for (const s of steps) if (Array.isArray(s.groupLrs)) n = Math.max(n, s.groupLrs.length);
    return n;
  }

  function summaryHtml(run, steps, events) {
    const items = [
      ['State', `<span class="badge state-${esc(run.state)}">${esc(run.state)}</span>`],
      ['Step', esc(num(run.step) ?? '—')],
      ['Train loss', fmt(lastOf(steps, 'trainLoss'))],
      ['Val loss', fmt(lastOf(steps, 'valLoss'))],
      ['LR', fmt(lastOf(steps, 'lr'))],
      ['Interventions', String(events.filter(isIntervention).length)],
      ['Active symptoms', activeSymptoms(events, run.state).map((x) => `<span class="symptom">${esc(x)}</span>`).join('') || '<span class="none">none</span>'],
    ];
    return items.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('');
  }

  function eventsTable(events) {
    if (events.length === 0) return '<p class="empty">No events yet.</p>';
    const rows = events.map((e) => `
      <tr class="event event-${esc(e.kind)}">
        <td class="num">${esc(e.step)}</td>
        <td>${esc(e.timeUtc ? new Date(e.timeUtc).toLocaleTimeString() : '')}</td>
        <td>${esc(e.kind)}</td>
        <td>${e.symptom ? `<span class="symptom">${esc(e.symptom)}</span>` : ''}</td>
        <td class="num">${num(e.newLr) != null ? `${fmt(e.oldLr)} → ${fmt(e.newLr)}` : ''}</td>
        <td class="reason">${esc(e.reason)}</td>
      </tr>`).join('');
    return `<table class="events" aria-label="Run events">
      <thead><tr><th scope="col" class="num">Step</th><th scope="col">Time</th><th scope="col">Kind</th><th scope="col">Symptom</th>
        <th scope="col" class="num">LR change</th><th scope="col">Reason</th></tr></thead><tbody>${rows}</tbody></table>`;
  }

  async function showRun(id) {
    const current = view;
    const run = await api(`/api/runs/${enc(id)}`);
    if (!run) {
      app.innerHTML = `<p class="empty">No run with id <code>${esc(id)}</code>. <a href="#/">All runs</a></p>`;
      return;
    }

    app.innerHTML = `
      <p><a href="#/">← All runs</a></p>
      <h1>${esc(run.name ?? run.id)} <small class="none">${esc(run.id)}</small></h1>
      <dl class="summary" id="run-summary"></dl>
      <div class="markers-key"><span class="key-finding">finding onset</span><span class="key-intervention">intervention (old LR → new LR)</span></div>
      <section class="charts" id="charts" aria-label="Charts"></section>
      <section id="finder"></section>
      <h2>Events</h2><div id="events"></div>`;
    const chartsEl = document.getElementById('charts');

    let steps = [];
    let every = 1;
    let lastStep = -1;
    let events = [];
    let charts = null;

    const load = async (runNow) => {
      const step = num(runNow.step) ?? -1;
      if (step >= 0 && (charts == null || everyFor(step) !== every)) {
        every = everyFor(step);
        steps = list(await api(`/api/runs/${enc(id)}/steps?from=0&to=${step}&every=${every}`));
      } else if (step > lastStep) {
        steps = steps.concat(list(await api(`/api/runs/${enc(id)}/steps?from=${lastStep + 1}&to=${step}&every=${every}`)));
      }
      lastStep = steps.length ? num(steps[steps.length - 1].step) ?? step : -1;
      events = list(await api(`/api/runs/${enc(id)}/events`));
      if (current.disposed) return;

      const groups = groupCount(steps);
      if (charts == null || charts.groups !== groups) {
        for (const c of view.charts) {
          resizer.unobserve(c.wrapper);
          c.plot.destroy();
        }
        view.charts = [];
        chartsEl.innerHTML = '';
        const lrSeries = groups > 1
          ? Array.from({ length: groups }, (_, g) => ({ label: `group ${g}`, color: GROUP_COLORS[g % GROUP_COLORS.length] }))
          : [{ label: 'learning rate', color: COLORS.blue }];
        charts = {
          groups,
          loss: makeChart(chartsEl, { id: 'loss', title: 'Loss, train and validation (log scale)', xLabel: 'step', yLabel: 'loss', yLog: true,
            series: [{ label: 'train loss', color: COLORS.blue }, { label: 'validation loss', color: COLORS.green, dash: [6, 4], width: 2, points: true }] }),
          lr: makeChart(chartsEl, { id: 'lr', title: 'Learning rate per parameter group (log scale)', xLabel: 'step', yLabel: 'learning rate', yLog: true, series: lrSeries }),
          grad: makeChart(chartsEl, { id: 'grad', title: 'Gradient norm (log scale)', xLabel: 'step', yLabel: 'gradient L2 norm', yLog: true,
            series: [{ label: 'gradient norm', color: COLORS.purple }] }),
        };
      }

      const xs = steps.map((s) => num(s.step));
      const markers = eventMarkers(events);
      const sampled = every > 1 ? ` (every ${every}th step)` : '';
      setChartData(charts.loss, xs, [steps.map((s) => s.trainLoss), steps.map((s) => s.valLoss)], markers, sampled);
      const lrColumns = charts.groups > 1
        ? Array.from({ length: charts.groups }, (_, g) => steps.map((s) => (Array.isArray(s.groupLrs) ? s.groupLrs[g] : null)))
        : [steps.map((s) => s.lr ?? (Array.isArray(s.groupLrs) ? s.groupLrs[0] : null))];
      setChartData(charts.lr, xs, lrColumns, markers, sampled);
      setChartData(charts.grad, xs, [steps.map((s) => s.gradNorm)], markers, sampled);

      document.getElementById('run-summary').innerHTML = summaryHtml(runNow, steps, events);
      document.getElementById('events').innerHTML = eventsTable(events);
    };

    await load(run);
    await showFinder(id, current);
    if (LIVE_STATES.has(run.state)) {
      const poll = async () => {
        const runNow = await api(`/api/runs/${enc(id)}`);
        if (runNow) await load(runNow);
        if (runNow && !LIVE_STATES.has(runNow.state)) current.disposed = true; // final state: stop polling
      };
      schedule(current, poll);
    }
  }

  async function showFinder(id, current) {
    const result = await api(`/api/runs/${enc(id)}/artifacts/lr_finder`);
    const points = list(result?.points ?? []);
    if (current.disposed || points.length === 0) return;
    const section = document.getElementById('finder');
    section.innerHTML = '<h2>LR range test</h2><div class="charts" id="finder-charts"></div>';
    const chart = makeChart(document.getElementById('finder-charts'), {
      id: 'lr-finder', title: 'Loss against learning rate (LR range test)', xLabel: 'learning rate (log scale)', yLabel: 'loss', xLog: true,
      series: [{ label: 'loss', color: COLORS.sky, width: 1 }, { label: 'smoothed loss', color: COLORS.blue, width: 2 }],
    });
    const sorted = points.filter((p) => num(p.lr) > 0).sort((a, b) => num(a.lr) - num(b.lr));
    const marks = [];
    if (num(result.recommended) != null) marks.push({ x: num(result.recommended), kind: 'suggestion', color: COLORS.green, label: `recommended ${fmt(result.recommended)}` });
    if (num(result.divergenceLr) != null) marks.push({ x: num(result.divergenceLr), kind: 'suggestion', color: COLORS.vermillion, dashed: true, label: `diverges ${fmt(result.divergenceLr)}` });
    for (const [name, value] of Object.entries(result.suggestions ?? {})) {
      if (num(value) != null) marks.push({ x: num(value), kind: 'suggestion', color: COLORS.purple, dashed: true, label: name });
    }
    setChartData(chart, sorted.map((p) => num(p.lr)), [sorted.map((p) => p.loss), sorted.map((p) => p.smoothedLoss)], marks);
    chart.wrapper.dataset.suggestions = String(marks.length);
    chart.note.textContent = `${sorted.length} LRs tried; recommended ${fmt(result.recommended)} (green), loss diverges from ${fmt(result.divergenceLr)} (dashed vermillion), ` +
      'steep/valley/minimum suggestions dashed purple';
  }

  window.addEventListener('hashchange', route);
  route();
})();
