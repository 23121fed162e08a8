// The live page: one uPlot chart per chart definition (/api/charts, the report's own list), fed by /api/history
// once and then by server-sent events from /events. window.aqs exposes the point count for tests.
(async function () {
  const charts = await (await fetch('/api/charts')).json();
  const history = await (await fetch('/api/history')).json();
  const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
  const state = { points: 0, decisions: 0, plots: [] };
  window.aqs = state;

  for (const chart of charts) {
    const box = document.createElement('div');
    box.className = 'chart';
    box.id = 'chart-' + chart.id;
    document.getElementById('charts').appendChild(box);
    const opts = {
      title: chart.title + ' (' + chart.unit + ')',
      width: 600, height: 220,
      scales: { x: { time: false } },
      axes: [{ label: 's' }, {}],
      series: [{ label: 't' }].concat(chart.series.map((s, i) => ({ label: s.name, stroke: colors[i % colors.length], width: 2, spanGaps: true }))),
    };
    const data = [[]].concat(chart.series.map(() => []));
    state.plots.push({ chart, data, plot: new uPlot(opts, data, box) });
  }

  function add(point) {
    for (const p of state.plots) {
      p.data[0].push(point.t);
      p.chart.series.forEach((s, i) => p.data[i + 1].push(point[s.key] ?? null));
      p.plot.setData(p.data);
    }
    state.points++;
    document.getElementById('points').textContent = state.points + ' points';
  }

  function fmt(v, digits, scale) { return v === undefined || v === null ? 'n/a' : (v / (scale || 1)).toFixed(digits); }

  function status(s) {
    if (!s) return;
    const rows = [
      ['rung', s.width && s.height ? s.width + 'x' + s.height : 'n/a', 'mode / preset', (s.mode || 'n/a') + ' / ' + (s.preset || 'n/a')],
      ['fps / depth', fmt(s.fps, 0) + ' / ' + (s.bit_depth || 'n/a'), 'bitrate / target', fmt(s.bitrate_bps, 2, 1e6) + ' / ' + fmt(s.target_bps, 2, 1e6) + ' Mbit/s'],
      ['estimate / capacity', fmt(s.estimate_bps, 2, 1e6) + ' / ' + fmt(s.capacity_bps, 2, 1e6) + ' Mbit/s', 'loss / FEC', fmt(s.loss_pct, 2) + ' % / ' + fmt(s.fec_pct, 0) + ' %'],
      ['VMAF / SSIM', fmt(s.vmaf, 1) + ' / ' + fmt(s.ssim, 4), 'age p95 / freezes', fmt(s.latency_p95_ms, 0) + ' ms / ' + (s.freezes ?? 'n/a')],
    ];
    document.getElementById('status').innerHTML = rows.map(r => '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td><th>' + r[2] + '</th><td>' + r[3] + '</td></tr>').join('');
  }

  function decision(d) {
    const line = document.createElement('div');
    line.textContent = d.width + 'x' + d.height + ' ' + fmt(d.fps, 0) + ' fps ' + d.bit_depth + '-bit ' + fmt(d.bitrate_bps, 2, 1e6) + ' Mbit/s ' + (d.mode || '') + ' ' + (d.preset || '') + ': ' + d.reason;
    const box = document.getElementById('decisions');
    box.prepend(line);
    state.decisions++;
  }

  history.points.forEach(add);
  history.decisions.forEach(decision);
  status(history.latest);

  const events = new EventSource('/events');
  events.addEventListener('sample', e => { const m = JSON.parse(e.data); add(m.point); status(m.latest); });
  events.addEventListener('decision', e => decision(JSON.parse(e.data)));

  // The next picture is asked for only when the last one has arrived: on a busy machine a fixed timer would cancel
  // every load before it completes.
  const preview = document.getElementById('preview');
  const nextPreview = () => setTimeout(() => { preview.src = '/preview.png?' + Date.now(); }, 250);
  preview.addEventListener('load', nextPreview);
  preview.addEventListener('error', nextPreview);
  preview.src = '/preview.png?' + Date.now();

  document.getElementById('controls').addEventListener('submit', async e => {
    e.preventDefault();
    const body = {};
    for (const [k, v] of new FormData(e.target).entries()) if (v !== '') body[k] = v;
    const answer = await fetch('/api/params', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = answer.ok ? 'sent' : (await answer.json()).error;
    document.getElementById('applied').textContent = text;
    state.lastApplied = { ok: answer.ok, text };
  });
})();
