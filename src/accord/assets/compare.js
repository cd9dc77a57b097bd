/* Accord: the Compare view. Three kinds of comparison, every issue at once:
 *   - perspectives: the case as each source reads it (GET /api/compare?kind=perspectives), no token;
 *   - cases: cases side by side, e.g. 2013 and 2020 (GET /api/compare?kind=cases), no token;
 *   - scenarios: a run per scenario (POST /api/runs, needs a token).
 * The comparison lives in the address (mode, settings, cases or run ids) and, per case, in localStorage,
 * so a reload or a return to the tab reopens it with every variant. Case text is inserted as text only.
 */
(function () {
  "use strict";

  const A = window.Accord;
  const h = A.h;
  const $ = (id) => document.getElementById(id);
  const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? "–" : Number(x).toFixed(d));
  const sign = (x) => (x === null || x === undefined ? "" : (x > 0 ? "+" : "") + fmt(x));
  const short = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
  // cut in the middle: labels that start alike stay told apart by their ends (a source's date)
  const shortMid = (s, n) => (s.length > n ? s.slice(0, Math.ceil(n / 2) - 1) + "…" + s.slice(s.length - Math.floor(n / 2)) : s);
  const narrow = () => window.matchMedia("(max-width: 700px)").matches;
  const clear = (el) => { while (el.firstChild) el.removeChild(el.firstChild); return el; };
  const MODES = ["perspectives", "cases", "scenarios"];
  const storeKey = () => `accord-compare:${A.caseId}`;

  // ---------------------------------------------------------------------------------------------
  // drawing: one chart per issue, and one table of every issue
  // ---------------------------------------------------------------------------------------------
  function issueChart(el, doc, issue) {
    const rows = doc.variants.filter((v) => v.forecast[issue.id]).slice().reverse();
    const f = (v) => v.forecast[issue.id];
    const keys = rows.map((v, k) => `v${rows.length - 1 - k}`);  // rows keyed by position: two labels may read alike
    const base = doc.variants[0].forecast[issue.id];
    const traces = [
      { type: "scatter", mode: "markers", x: rows.map((v) => f(v).median), y: keys, name: "median and 80% interval",
        error_x: { type: "data", symmetric: false, array: rows.map((v) => f(v).high - f(v).median),
                   arrayminus: rows.map((v) => f(v).median - f(v).low), color: "#7a8aa0", thickness: 2, width: 0 },
        marker: { size: 9, color: rows.map((v, k) => (k === rows.length - 1 ? "#13263d" : "#1f5fa8")) },
        hovertext: rows.map((v) => `${v.label}: median ${fmt(f(v).median)} (${fmt(f(v).low, 0)}–${fmt(f(v).high, 0)})` +
          (v === doc.variants[0] ? " (baseline)" : `; ${sign(f(v).shift)} vs baseline`)), hoverinfo: "text" },
      { type: "scatter", mode: "markers", x: rows.map((v) => f(v).status_quo), y: keys, name: "status quo",
        marker: { symbol: "diamond-open", size: 11, color: "#a34100", line: { width: 2 } },
        hovertext: rows.map((v) => `${v.label}: status quo ${fmt(f(v).status_quo)}`), hoverinfo: "text" },
    ];
    const layout = {
      title: { text: short(`${issue.id}: ${issue.question}`, narrow() ? 44 : 74), font: { size: 13 }, x: 0, xanchor: "left" },
      showlegend: false, height: 130 + 34 * rows.length, margin: { l: narrow() ? 130 : 230, r: 14, t: 40, b: 70 },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#fff", font: { size: narrow() ? 11 : 12 },
      xaxis: { range: [-2, 102], tickvals: [0, 25, 50, 75, 100], fixedrange: true },
      yaxis: { type: "category", automargin: true, tickvals: keys, ticktext: rows.map((v) => (v.short ? short(v.short, narrow() ? 21 : 36) : shortMid(v.label, narrow() ? 20 : 36))), fixedrange: true },
      shapes: base ? [{ type: "line", x0: base.median, x1: base.median, y0: 0, y1: 1, yref: "paper",
                        line: { dash: "dot", color: "#13263d", width: 1.2 } }] : [],
      annotations: [
        { x: 0, xanchor: "left", y: 0, yref: "paper", yshift: -28, yanchor: "top", showarrow: false, align: "left",
          text: `◀ 0 = ${short(issue.min_label, narrow() ? 20 : 34)}`, font: { size: 10, color: "#5b6472" } },
        { x: 100, xanchor: "right", y: 0, yref: "paper", yshift: -44, yanchor: "top", showarrow: false, align: "right",
          text: `100 = ${short(issue.max_label, narrow() ? 20 : 34)} ▶`, font: { size: 10, color: "#5b6472" } },
      ],
    };
    Plotly.react(el, traces, layout, { responsive: true, displaylogo: false, displayModeBar: false });
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", `${issue.question} Medians: ` +
      rows.slice().reverse().map((v) => `${v.label} ${fmt(f(v).median)}`).join("; ") + ". The table below gives every number.");
  }

  function table(doc) {
    const head = h("tr", {}, h("th", { scope: "col" }, "variant"),
      ...doc.issues.map((i) => h("th", { scope: "col", class: "num", title: `0 = ${i.min_label}; 100 = ${i.max_label}` }, i.id)));
    const body = doc.variants.map((v, n) => h("tr", { class: n === 0 ? "lead" : "" }, h("th", { scope: "row" }, v.label,
      n === 0 ? h("span", { class: "muted small" }, " (baseline)") : null),
      ...doc.issues.map((i) => {
        const f = v.forecast[i.id];
        if (!f) return h("td", { class: "num" }, "–");
        const interval = f.low === f.high ? "" : ` (${fmt(f.low, 0)}–${fmt(f.high, 0)})`;
        return h("td", { class: "num", "data-issue": i.id }, h("strong", {}, fmt(f.median)), interval,
          n > 0 && f.shift !== null ? h("span", { class: f.shift > 0 ? "up" : f.shift < 0 ? "down" : "" }, " " + sign(f.shift)) : null,
          h("br"), h("span", { class: "muted small" }, `status quo ${fmt(f.status_quo)}`));
      })));
    const scale = h("p", { class: "small muted" }, "Scales: ",
      ...doc.issues.map((i, k) => [k ? "; " : "", h("strong", {}, i.id), `: 0 = ${i.min_label}, 100 = ${i.max_label}`]));
    const flat = doc.variants.flatMap((v) => doc.issues.filter((i) => v.forecast[i.id]).map((i) => Object.assign(
      { variant: v.label, case: v.case, perspective: v.perspective || "", scenario: v.scenario || "", issue: i.id }, v.forecast[i.id])));
    return [h("table", { id: "compare-grid", "data-dl": "own" }, h("thead", {}, head), h("tbody", {}, body)), scale,
            A.downloads(`${A.caseId}-compare`, flat)];
  }

  A.drawComparison = function (doc) {
    $("compare-results").hidden = false;  // first: plotly sizes a chart by its box
    $("compare-title").textContent = `${doc.title} · ${doc.model} · ` + (doc.draws ? `${doc.draws} draws, seed ${doc.seed}` : "point runs");
    const charts = clear($("compare-charts"));
    const boxes = doc.issues.map((issue, k) => {
      const el = h("div", { id: `compare-chart-${k}`, class: "chart", "data-issue": issue.id });
      charts.append(h("div", { class: "chart-box" }, el));
      return el;
    });
    boxes.forEach((el, k) => {
      issueChart(el, doc, doc.issues[k]);
      el.parentNode.append(A.imageButtons(el, `${A.caseId}-compare-${doc.issues[k].id}`));
    });
    clear($("compare-table")).append(...table(doc));
  };

  // A finished run's result as a variant of the comparison document.
  function runVariant(label, result) {
    const forecast = {};
    for (const r of result.forecast) {
      const low = r.p10 ?? r.p05, high = r.p90 ?? r.p95;  // runs stored before the 80% headline kept 5-95%
      const drawn = low !== null && low !== undefined;
      forecast[r.issue] = { status_quo: r.status_quo, median: drawn ? r.median : r.point,
                            low: drawn ? low : r.point, high: drawn ? high : r.point, shift: null };
    }
    return { label, case: result.case, scenario: result.scenario || null, perspective: null, forecast };
  }

  function withShifts(doc) {
    const base = doc.variants[0];
    for (const v of doc.variants) for (const [issue, f] of Object.entries(v.forecast)) {
      f.shift = base.forecast[issue] ? Math.round(100 * (f.median - base.forecast[issue].median)) / 100 : null;
    }
    return doc;
  }

  // ---------------------------------------------------------------------------------------------
  // the page
  // ---------------------------------------------------------------------------------------------
  function settings(form) {
    const f = form.elements;
    return { mode: f.mode.value, model: f.model.value, draws: Number(f.draws.value || 0), seed: Number(f.seed.value || 0),
             scenario: f["persp-scenario"].value || null };
  }

  function remember(params) {
    params.set("case", A.caseId);
    const query = params.toString();
    history.replaceState(null, "", `/compare?${query}`);
    localStorage.setItem(storeKey(), query);
  }

  function showMode(form, mode) {
    for (const el of form.querySelectorAll("[data-mode]")) el.hidden = el.dataset.mode !== mode;
    form.elements.draws.max = mode === "scenarios" ? "5000" : "500";
  }

  A.pages.compare = async () => {
    const form = $("compare-form");
    const info = JSON.parse($("compare-info").textContent);
    A.caseTitle = info.title;
    A.issueInfo = Object.fromEntries(info.issues.map((i) => [i.id, i]));
    const status = $("compare-status");
    let scenarios = [];
    const say = (text, cls) => clear(status).appendChild(h("p", { class: cls || "", id: cls === "error" ? "compare-error" : null }, text));
    const done = (n) => clear(status).appendChild(h("span", { id: "compare-done" }, `${n} variants compared`));

    const readOnly = async (s, cases) => {
      const q = new URLSearchParams({ kind: s.mode, model: s.model, draws: String(s.draws), seed: String(s.seed) });
      for (const c of cases) q.append("case", c);
      if (s.mode === "perspectives" && s.scenario) q.set("scenario", s.scenario);
      say(`Computing ${s.mode === "perspectives" ? "each source's reading" : "the cases"} (the first time can take a while)…`);
      let doc = null;
      for (let attempt = 0; !doc; attempt++) {
        try { doc = await A.api(`/compare?${q}`); } catch (e) {
          if (e.status !== 503 || attempt > 100) throw e;  // busy with another comparison: wait and ask again
          say("Another comparison is being computed on the server; waiting for it…");
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
      doc.title = s.mode === "perspectives"
        ? `${s.scenario ? titleOf(s.scenario) + " on " : ""}${A.caseTitle}, read by each source` : "Cases side by side";
      A.drawComparison(doc);
      done(doc.variants.length);
      const p = new URLSearchParams({ mode: s.mode, model: s.model, draws: String(s.draws), seed: String(s.seed) });
      if (s.mode === "cases") p.set("cases", cases.join(","));
      if (s.mode === "perspectives" && s.scenario) p.set("scenario", s.scenario);
      remember(p);
    };

    const titleOf = (sc) => (sc ? (scenarios.find((x) => x.id === sc) || { title: sc }).title : "the case as it is");
    const fromRuns = async (ids) => {
      const items = await Promise.all(ids.map(async (id) => {
        const run = await A.poll(id, () => say(`${ids.length} runs: waiting for run ${id}…`));
        if (run.status !== "done") return { id, failed: `${titleOf(run.scenario)}: ${run.error}` };
        const result = A.runView(await A.api(`/runs/${id}/result`));
        return { id, run, result };
      }));
      const ok = items.filter((it) => it.result);
      if (!ok.length) { say(items.map((it) => it.failed).join("\n") || "no runs", "error"); return; }
      const first = ok[0].run;
      // the form shows what was compared: the runs' settings and their scenarios ticked
      Object.assign(form.elements.model, { value: first.model });
      form.elements.draws.value = String(first.draws);
      form.elements.seed.value = String(first.seed);
      const picked = new Set(items.map((it) => (it.run ? it.run.scenario || "" : null)).filter((x) => x !== null));
      for (const b of form.querySelectorAll("input[name=variant]")) b.checked = picked.has(b.value);
      const doc = withShifts({ model: first.model, draws: first.draws, seed: first.seed, title: "Scenarios",
        issues: ok[0].result.issues.map((i) => Object.assign({ id: i, question: i }, (ok[0].result.scales || {})[i] || {},
          A.issueInfo[i] || {})),
        variants: ok.map((it) => runVariant(titleOf(it.run.scenario), it.result)) });
      A.drawComparison(doc);
      done(ok.length);
      const failed = items.filter((it) => it.failed);
      if (failed.length) status.appendChild(h("p", { class: "error" }, failed.map((it) => it.failed).join("\n")));
      remember(new URLSearchParams({ mode: "scenarios", runs: ids.join(",") }));
    };

    const start = async (s) => {
      try {
        if (s.mode === "perspectives") return await readOnly(s, [A.caseId]);
        if (s.mode === "cases") {
          const picked = [...form.querySelectorAll("input[name=compare-case]:checked")].map((i) => i.value);
          if (picked.length < 2) return say("Tick at least two cases.", "error");
          return await readOnly(s, picked);
        }
        const chosen = [...form.querySelectorAll("input[name=variant]:checked")].map((i) => i.value);
        if (!chosen.length) return say("Tick at least one scenario.", "error");
        const runs = await Promise.all(chosen.map((sc) => A.api("/runs", { method: "POST", body: Object.assign(
          { case: A.caseId, model: s.model, draws: s.draws, seed: s.seed }, sc ? { scenario: sc } : {}) })));
        await fromRuns(runs.map((r) => r.id));
      } catch (e) {
        say(e.status === 401 ? "Comparing scenarios starts runs: paste a token in the header (the perspectives and cases need none)." : e.message, "error");
      }
    };

    form.addEventListener("submit", (ev) => { ev.preventDefault(); start(settings(form)); });
    for (const r of form.elements.mode) r.addEventListener("change", () => showMode(form, form.elements.mode.value));

    // reopen: the address first, else this case's last comparison
    let params = new URLSearchParams(location.search);
    if (!params.get("mode") && !params.get("runs")) {
      const saved = localStorage.getItem(storeKey());
      if (saved) params = new URLSearchParams(saved);
    }
    const mode = MODES.includes(params.get("mode")) ? params.get("mode") : params.get("runs") ? "scenarios" : "perspectives";
    form.elements.mode.value = mode;
    for (const name of ["model", "draws", "seed"]) if (params.get(name) !== null) form.elements[name].value = params.get(name);
    if (params.get("cases")) {
      const want = params.get("cases").split(",");
      for (const box of form.querySelectorAll("input[name=compare-case]")) box.checked = want.includes(box.value);
    }
    showMode(form, mode);

    try { scenarios = await A.api(`/scenarios?case=${encodeURIComponent(A.caseId)}`); } catch (e) { scenarios = []; }
    const box = clear($("compare-scenarios"));
    box.appendChild(h("label", {}, h("input", { type: "checkbox", name: "variant", value: "", checked: true }), "the case as it is"));
    for (const s of scenarios) box.appendChild(h("label", {}, h("input", { type: "checkbox", name: "variant", value: s.id, checked: true }), s.title));
    if (!scenarios.length) box.appendChild(h("span", { class: "muted small" }, "(no scenarios for this case yet: upload one on the Cases page)"));
    const persp = form.elements["persp-scenario"];
    for (const sc of scenarios) persp.appendChild(h("option", { value: sc.id }, sc.title));
    if (params.get("scenario")) persp.value = params.get("scenario");

    if (params.get("runs")) {
      const ids = params.get("runs").split(",").map(Number).filter((x) => Number.isInteger(x) && x > 0);
      try { await fromRuns(ids); } catch (e) { say(e.message, "error"); }
    } else if (params.get("mode")) {
      start(settings(form));
    }
  };
})();
