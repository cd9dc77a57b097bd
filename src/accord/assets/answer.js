/* Accord: the answer page (the case's question answered, scenario by scenario) and the what-if form.
 *
 * Draws from GET /api/cases/{id}/answer (or the report's inline copy of the same document), so the
 * dashboard, the report and `accord answer` show the same numbers. Case text is inserted as text only.
 */
(function () {
  "use strict";

  const A = window.Accord;
  const h = A.h;
  const $ = (id) => document.getElementById(id);
  const fmt = (x, d = 1) => (x === null || x === undefined ? "–" : Number(x).toFixed(d));
  const sign = (x) => (x > 0 ? "+" : "") + fmt(x);
  const short = (s, n = 38) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
  // cut in the middle: titles that start alike ("Russia sides with ...") stay told apart by their ends
  const shortMid = (s, n) => (s.length > n ? s.slice(0, Math.ceil(n / 2) - 1) + "…" + s.slice(s.length - Math.floor(n / 2)) : s);
  const narrow = () => window.matchMedia("(max-width: 700px)").matches;

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

  /* Links under a table: the same rows as CSV and as JSON, made in the browser from the shown data. */
  function downloads(name, rows) {
    const cols = Object.keys(rows[0] || {});
    const cell = (v) => { const s = v === null || v === undefined ? "" : String(v); return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
    const csv = [cols.join(","), ...rows.map((r) => cols.map((c) => cell(r[c])).join(","))].join("\n") + "\n";
    const link = (text, type, body, ext) => h("a", { href: URL.createObjectURL(new Blob([body], { type })),
                                                     download: `${name}.${ext}`, class: "download" }, text);
    return h("p", { class: "small downloads" }, "Download: ", link("CSV", "text/csv", csv, "csv"), " · ",
             link("JSON", "application/json", JSON.stringify(rows, null, 1), "json"));
  }
  A.downloads = downloads;

  /* PNG and SVG buttons under a chart (plotly draws the file in the browser). */
  function imageButtons(el, name) {
    const btn = (format) => h("button", { type: "button", class: "secondary small",
      onclick: () => Plotly.downloadImage(el, { format, filename: name, width: 1000, height: 600 }) }, format.toUpperCase());
    return h("p", { class: "small downloads" }, "Chart: ", btn("png"), " ", btn("svg"));
  }
  A.imageButtons = imageButtons;

  function issueChart(el, doc, issue) {
    const rows = doc.scenarios.slice().reverse();
    const f = (r) => r.forecast[issue.id];
    const trace = {
      // rows keyed by scenario name: two titles cut to the same text must not share a row
      type: "scatter", mode: "markers", x: rows.map((r) => f(r).median), y: rows.map((r) => r.name),
      error_x: { type: "data", symmetric: false, array: rows.map((r) => f(r).high - f(r).median),
                 arrayminus: rows.map((r) => f(r).median - f(r).low), color: "#7a8aa0", thickness: 2, width: 0 },
      marker: { size: 9, color: rows.map((r) => (r.name === "as-it-stands" ? "#13263d" : "#1f5fa8")) },
      hovertext: rows.map((r) => `${r.title}: median ${fmt(f(r).median)} (${fmt(f(r).low, 0)}–${fmt(f(r).high, 0)}); ${f(r).shift_words}`),
      hoverinfo: "text", name: "median and 80% interval",
    };
    const layout = {
      title: { text: short(issue.question, narrow() ? 44 : 70), font: { size: 13 }, x: 0, xanchor: "left" },
      showlegend: false, height: 350, margin: { l: narrow() ? 140 : 210, r: 14, t: 40, b: 88 },
      xaxis: { range: [-2, 102], tickvals: [0, 25, 50, 75, 100] },
      yaxis: { type: "category", tickvals: rows.map((r) => r.name), ticktext: rows.map((r) => shortMid(r.title, narrow() ? 21 : 34)) },
      shapes: [{ type: "line", x0: issue.status_quo, x1: issue.status_quo, y0: 0, y1: 1, yref: "paper",
                 line: { dash: "dash", color: "#a34100", width: 1.5 } }],
      // what the scale's ends mean, under the axis ends (tick labels that long would be dropped by plotly)
      annotations: [
        { x: issue.status_quo, y: 1, yref: "paper", text: "status quo", showarrow: false, yanchor: "bottom",
          font: { size: 10, color: "#a34100" } },
        { x: 0, xanchor: "left", y: -0.17, yref: "paper", yanchor: "top", showarrow: false, align: "left",
          text: `◀ 0 = ${short(issue.min_label, narrow() ? 20 : 34)}`, font: { size: 10, color: "#5b6472" },
          hovertext: issue.min_label },
        { x: 100, xanchor: "right", y: -0.29, yref: "paper", yanchor: "top", showarrow: false, align: "right",
          text: `100 = ${short(issue.max_label, narrow() ? 20 : 34)} ▶`, font: { size: 10, color: "#5b6472" },
          hovertext: issue.max_label },
      ],
    };
    Plotly.react(el, [trace], layout, { responsive: true, displaylogo: false, displayModeBar: false });
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", `${issue.question} Medians by scenario: ` +
      doc.scenarios.map((r) => `${r.title} ${fmt(f(r).median)}`).join("; ") + ". The table below gives every number.");
  }

  function table(doc) {
    const head = h("tr", {}, h("th", { scope: "col" }, "scenario"),
      ...doc.issues.map((i) => h("th", { scope: "col", class: "num", title: `0 = ${i.min_label}; 100 = ${i.max_label}` },
        i.id, h("br"), h("span", { class: "muted small" }, `SQ ${fmt(i.status_quo)}`))));
    const body = doc.scenarios.map((r) => h("tr", {}, h("th", { scope: "row" }, r.title),
      ...doc.issues.map((i) => {
        const f = r.forecast[i.id];
        return h("td", { class: "num", title: `${f.where}; ${f.shift_words}; point run ${fmt(f.point_run)}` },
          h("strong", {}, fmt(f.median)), ` (${fmt(f.low, 0)}–${fmt(f.high, 0)})`,
          r.name === "as-it-stands" ? "" : h("span", { class: f.shift > 0 ? "up" : f.shift < 0 ? "down" : "" }, " " + sign(f.shift)),
          h("br"), h("span", { class: "muted small" }, `point run ${fmt(f.point_run)}`));
      })));
    const scale = h("p", { class: "small muted" }, "Scales: ",
      ...doc.issues.map((i, k) => [k ? "; " : "", h("strong", {}, i.id), `: 0 = ${i.min_label}, 100 = ${i.max_label}`]));
    return [h("table", { id: "answer-grid", "data-dl": "own" }, h("thead", {}, head), h("tbody", {}, body)), scale];
  }

  function flatRows(doc) {
    const out = [];
    for (const r of doc.scenarios) for (const i of doc.issues) {
      const f = r.forecast[i.id];
      out.push({ scenario: r.name, issue: i.id, median: f.median, low: f.low, high: f.high, shift: f.shift, point_run: f.point_run });
    }
    return out;
  }

  function leverage(el, doc) {
    const lev = doc.leverage;
    if (!lev) return;
    el.hidden = false;
    clear(el).append(h("h2", {}, `${lev.name}'s leverage`),
      h("p", { class: "small muted" }, `How far ${lev.name}'s options move each issue: the range of the medians over ` +
        lev.options.join(", ") + "."),
      h("ul", {}, ...Object.entries(lev.issues).map(([issue, r]) =>
        h("li", {}, h("strong", {}, issue), `: ${fmt(r.range)} points (lowest under ${r.lowest}, highest under ${r.highest})`))));
  }

  function drivers(el, doc) {
    const m = doc.drivers_method, s = m.stability;
    el.hidden = false;
    const rows = doc.drivers.map((d) => h("tr", { class: d.leading_group ? "lead" : "" },
      h("th", { scope: "row" }, d.name), h("td", { class: "num" }, fmt(d.effect)), h("td", { class: "num" }, "±" + fmt(d.effect_se)),
      h("td", { class: "num" }, d.rank_range[0] === d.rank_range[1] ? String(d.rank_range[0]) : d.rank_range.join("–")),
      h("td", { class: "num" }, `${Math.round(100 * d.top3_share)}%`),
      h("td", {}, d.leading_group ? "leading group" : "")));
    clear(el).append(h("h2", {}, "Who the outcome depends on most"),
      h("p", { class: "small muted" }, `${m.method}; ${m.samples} trajectories × ${m.repeats} seeds (${m.evaluations} model runs). ` +
        `Stability over the seeds: the leading group (${s.leading_group.join(", ")}) agreed in ${Math.round(100 * s.leading_group_agreement)}% ` +
        `of them, the top three in ${Math.round(100 * s.top3_agreement)}%; mean rank correlation ${fmt(s.spearman_mean, 2)}. ` +
        "Inside the leading group the order is not established."),
      h("div", { class: "table-wrap" }, h("table", { id: "drivers-table", "data-dl": "own" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "actor"), h("th", { scope: "col", class: "num" }, "effect (points)"),
          h("th", { scope: "col", class: "num" }, "standard error"), h("th", { scope: "col", class: "num" }, "ranks seen"),
          h("th", { scope: "col", class: "num", title: "share of the seeds that put this actor among the three strongest" }, "in top 3"),
          h("th", { scope: "col" }, ""))),
        h("tbody", {}, rows))),
      downloads(`${doc.case}-drivers`, doc.drivers.map((d) => ({ actor: d.actor, effect: d.effect, effect_se: d.effect_se,
        rank_low: d.rank_range[0], rank_high: d.rank_range[1], top3_share: d.top3_share, leading_group: d.leading_group }))));
  }

  function disagreements(el, doc) {
    if (!doc.disagreements.length) return;
    el.hidden = false;
    clear(el).append(h("h2", {}, "What the sources disagree on"),
      h("ul", {}, ...doc.disagreements.map((d) => h("li", {},
        h("button", { class: "ev", type: "button", onclick: () => A.openEvidence(d.ref) }, d.label), ": ",
        d.readings.map((r) => `${r.title} (${r.date}) ${r.value}`).join("; ")))),
      downloads(`${doc.case}-disagreements`, doc.disagreements.flatMap((d) => d.readings.map((r) =>
        ({ ref: d.ref, label: d.label, source: r.title, date: r.date, value: r.value })))));
  }

  function cards(el, doc) {
    clear(el);
    for (const r of doc.scenarios.slice(1)) {
      el.appendChild(h("article", { class: "scenario-card", "aria-label": r.title },
        h("h3", {}, r.title), r.question ? h("p", {}, h("em", {}, r.question)) : null,
        r.description ? h("p", { class: "small" }, r.description) : null,
        r.changes.length ? h("div", { class: "small" }, h("strong", {}, "Changes"), h("ul", {}, ...r.changes.map((c) => h("li", {}, c)))) : null,
        r.passages.length ? h("div", { class: "small" }, h("strong", {}, "Passages"), h("ul", {}, ...r.passages.map((p) =>
          h("li", {}, h("button", { class: "ev", type: "button", onclick: () => A.openPassage(p) }, `${p.title} (${p.date || "n.d."})`),
            p.note ? ` – ${p.note}` : ""))))
        : null));
    }
  }

  A.openPassage = async function (p) {
    const panel = $("evidence-panel"), body = clear($("ev-body"));
    $("ev-title").textContent = `${p.title} (${p.date || "n.d."})`;
    A.opener = document.activeElement;
    panel.hidden = false;
    try {
      const found = A.passageSource ? await A.passageSource(p)
        : await A.api(`/evidence/passage?doc=${encodeURIComponent(p.doc)}&start=${p.start}&end=${p.end}`);
      body.append(h("blockquote", { class: "passage" }, h("span", { class: "ctx" }, found.before || ""),
        h("mark", {}, found.text || ""), h("span", { class: "ctx" }, found.after || "")),
        p.note ? h("p", { class: "small" }, p.note) : "");
    } catch (e) { body.append(h("p", { class: "error" }, e.message)); }
    $("ev-close").focus();
  };

  A.drawAnswer = function (doc) {
    // unhide first: plotly sizes a chart by its container, and a hidden one has no width
    for (const id of ["answer-charts-card", "answer-table-card", "answer-cards"]) if ($(id)) $(id).hidden = false;
    const charts = clear($("answer-charts"));
    // lay every chart's box out first, then draw: each chart takes its box's width when drawn
    const boxes = doc.issues.map((issue, k) => {
      const el = h("div", { id: `answer-chart-${k}`, class: "chart" });
      charts.append(h("div", { class: "chart-box" }, el));
      return el;
    });
    boxes.forEach((el, k) => {
      issueChart(el, doc, doc.issues[k]);
      el.parentNode.append(imageButtons(el, `${doc.case}-${doc.issues[k].id}`));
    });
    clear($("answer-table")).append(...table(doc));
    $("answer-table-card").append(downloads(`${doc.case}-answer-table`, flatRows(doc)));
    leverage($("answer-leverage"), doc);
    drivers($("answer-drivers"), doc);
    disagreements($("answer-disagreements"), doc);
    cards($("scenario-cards"), doc);
  };

  // ---------------------------------------------------------------------------------------------
  // what-if
  // ---------------------------------------------------------------------------------------------
  function whatIf(summary) {
    const form = $("whatif-form"), list = $("whatif-changes"), out = $("whatif-result"), save = $("whatif-save");
    if (!form) return;
    form.actor.append(...summary.actors.map((a) => h("option", { value: a.id }, a.name)));
    form.issue.append(...summary.issues.map((i) => h("option", { value: i.id }, i.id)));
    const changes = [];
    let yaml = null, serial = 0;
    const baseSel = $("whatif-base"), statesBox = $("whatif-states"), trigBox = $("whatif-triggers"), fired = $("whatif-fired");
    // a checkbox per case state (ticked: it holds); only the ones changed from the case are sent
    for (const st of summary.states || []) {
      statesBox.append(h("label", { title: st.description }, h("input", { type: "checkbox", name: "state", value: st.id,
        checked: st.holds, "data-case": st.holds ? "1" : "0", onchange: () => update() }), " ", st.id));
    }
    if (!(summary.states || []).length) statesBox.hidden = true;
    const states = () => Object.fromEntries([...statesBox.querySelectorAll("input[name=state]")]
      .filter((b) => b.checked !== (b.dataset.case === "1")).map((b) => [b.value, b.checked]));
    const triggersOff = () => [...trigBox.querySelectorAll("input[name=trigger]")].filter((b) => !b.checked).map((b) => b.value);
    const active = () => changes.length || baseSel.value || Object.keys(states()).length;
    const showFired = (res) => {
      clear(fired).append(...(res.triggers || []).map((t) => h("li", { "data-trigger": t.label,
        "data-fired": t.fired_round ? "yes" : "no" }, h("strong", {}, t.label),
        t.state ? ` (its clause reads ${t.state}: ${t.state_holds ? "holds" : "does not hold"})` : "",
        t.fired_round ? ` fired after round ${t.fired_round}` : " did not fire")));
      if (!(res.triggers || []).length && Object.keys(states()).length) {
        fired.append(h("li", { class: "muted", id: "whatif-no-trigger" }, "No trigger here reads a case state, so setting one " +
          "changes nothing: start from a scenario with a conditional commitment (e.g. Russian military intervention)."));
      }
    };
    A.api(`/scenarios?case=${encodeURIComponent(A.caseId)}`).then((list) => {
      baseSel.append(...list.map((sc) => h("option", { value: sc.id }, sc.title)));
    }).catch(() => {});
    baseSel.addEventListener("change", async () => {
      clear(trigBox).append(h("legend", { class: "small muted" }, "The scenario's triggers (conditional commitments): untick to switch one off"));
      trigBox.hidden = true;
      if (baseSel.value) {
        try {
          const sc = (await A.api(`/scenarios/${encodeURIComponent(baseSel.value)}`)).scenario;
          const trig = (sc.interventions || []).filter((iv) => iv.kind === "trigger");
          trig.forEach((t, n) => {
            const name = t.id || t.relation || `trigger-${n + 1}`;
            trigBox.append(h("label", {}, h("input", { type: "checkbox", name: "trigger", value: name, checked: true,
              onchange: () => update() }), " ", name, t.relation ? h("span", { class: "muted" }, ` (clause of ${t.relation})`) : ""));
          });
          trigBox.hidden = !trig.length;
        } catch (e) { /* the what-if below reports a scenario it cannot use */ }
      }
      update();
    });
    const render = (res, pending) => {
      const head = h("tr", {}, ...["issue", "case", "what-if", "change", "median (80%)"]
        .map((t, k) => h("th", { scope: "col", class: k ? "num" : "" }, t)));
      const rows = summary.issues.map((i) => {
        const r = res.issues[i.id];
        return h("tr", {}, h("th", { scope: "row", title: `0 = ${i.min_label}; 100 = ${i.max_label}` }, i.id),
          h("td", { class: "num" }, fmt(r.base_point_run)), h("td", { class: "num" }, h("strong", {}, fmt(r.point_run))),
          h("td", { class: "num" }, sign(r.point_run - r.base_point_run)),
          h("td", { class: "num" }, r.median !== undefined ? `${fmt(r.median)} (${fmt(r.low, 0)}–${fmt(r.high, 0)})` : pending ? "drawing…" : "–"));
      });
      clear(out).append(h("table", { id: "whatif-table", "data-dl": "own" }, h("thead", {}, head), h("tbody", {}, rows)),
        h("p", { class: "small muted" }, `case: the case as it stands; what-if: with the changes (both point runs); ` +
          `median and 80% interval of the what-if's draws. Point forecast in ${res.seconds} s.`));
    };
    const update = async () => {
      clear(list).append(...changes.map((c, k) => h("li", {}, c.attribute === "remove" ? `leave out ${c.actor}` :
        `set ${c.actor}'s ${c.attribute}${c.issue ? " on " + c.issue : ""} to ${c.value}`, " ",
        h("button", { type: "button", class: "secondary small", "aria-label": "remove this change",
                      onclick: () => { changes.splice(k, 1); update(); } }, "×"))));
      save.disabled = !active() || !A.token();
      if (!active()) { clear(out); clear(fired); yaml = null; return; }
      const mine = ++serial;
      const body = { changes, states: states(), triggers_off: triggersOff() };
      if (baseSel.value) body.scenario = baseSel.value;
      try {
        const path = `/cases/${encodeURIComponent(A.caseId)}/whatif`;
        const quick = await A.api(path, { method: "POST", body: Object.assign({ draws: 0 }, body) });
        if (mine !== serial) return;
        yaml = quick.scenario_yaml;
        render(quick, true);
        showFired(quick);
        const full = await A.api(path, { method: "POST", body: Object.assign({ draws: 200 }, body) });
        if (mine === serial) render(full, false);
      } catch (e) { if (mine === serial) clear(out).append(h("p", { class: "error" }, e.message)); }
    };
    form.attribute.addEventListener("change", () => {
      const remove = form.attribute.value === "remove";
      form.issue.disabled = remove || form.attribute.value === "capability";
      form.value.disabled = remove;
      form.value.value = form.attribute.value === "position" ? 50 : 0.5;
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const attribute = form.attribute.value;
      const c = { actor: form.actor.value, attribute };
      if (attribute !== "remove") { c.value = Number(form.value.value); if (attribute !== "capability") c.issue = form.issue.value; }
      changes.push(c);
      update();
    });
    form.reset.addEventListener("click", () => {
      changes.length = 0;
      for (const b of statesBox.querySelectorAll("input[name=state]")) b.checked = b.dataset.case === "1";
      if (baseSel.value) { baseSel.value = ""; baseSel.dispatchEvent(new Event("change")); } else update();
    });
    save.addEventListener("click", async () => {
      const id = "what-if-" + Date.now();
      const text = yaml.replace(/^id: what-if$/m, "id: " + id);
      try {
        await A.api("/scenarios", { method: "POST", body: { text, filename: id + ".yaml" } });
        $("whatif-saved").textContent = ` saved as scenario ${id}`;
      } catch (e) { $("whatif-saved").textContent = " " + e.message; }
    });
  }

  A.pages.answer = async function () {
    const status = $("answer-status");
    const summary = await A.api(`/cases/${encodeURIComponent(A.caseId)}`);
    whatIf(summary);
    const doc = await A.api(`/cases/${encodeURIComponent(A.caseId)}/answer`);
    status.textContent = `Forecaster: ${doc.forecaster.name} (${doc.forecaster.draws} draws of ${doc.forecaster.model}, ` +
      `interval: ${doc.forecaster.interval_kind || "input uncertainty only"}, seed ` +
      `${doc.forecaster.seed}); computed in ${fmt(doc.timings.total_s)} s for case version ${doc.case_version}. ` +
      `Readings: ${doc.readings}.`;
    A.drawAnswer(doc);
  };
})();

/* Every table and chart of the dashboard, whichever page drew it: CSV and JSON links under each table
 * (Datasette's habit), a filter box and sortable columns on long tables, PNG and SVG buttons under each
 * chart. Runs on any change of <main>, so tables drawn later (runs, comparisons) get them too. */
(function () {
  "use strict";

  const A = window.Accord;
  const h = A.h;
  const cellText = (td) => td.textContent.trim();

  function tableRows(table) {
    const head = [...table.querySelectorAll("thead th")].map((th, k) => cellText(th) || `column ${k + 1}`);
    return [...table.querySelectorAll("tbody tr")].filter((tr) => !tr.hidden).map((tr) =>
      Object.fromEntries([...tr.children].map((td, k) => [head[k] || `column ${k + 1}`, cellText(td)])));
  }

  function sortable(table) {
    const body = table.tBodies[0];
    [...table.querySelectorAll("thead th")].forEach((th, k) => {
      th.setAttribute("aria-sort", "none");
      const button = h("button", { type: "button", class: "sort", title: "sort by this column" }, th.textContent);
      th.textContent = "";
      th.append(button);
      button.addEventListener("click", () => {
        const up = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach((o) => o.setAttribute("aria-sort", "none"));
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        const key = (tr) => { const t = cellText(tr.children[k] || tr); const n = parseFloat(t); return Number.isNaN(n) ? t : n; };
        const rows = [...body.rows].sort((a, b) => { const x = key(a), y = key(b);
          return (typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : typeof x === "number" ? -1 : 1) * (up ? 1 : -1); });
        body.append(...rows);
      });
    });
  }

  function filterBox(table) {
    const input = h("input", { type: "search", placeholder: "filter rows", "aria-label": "filter the rows of this table", class: "filter" });
    input.addEventListener("input", () => {
      const q = input.value.toLowerCase();
      for (const tr of table.tBodies[0].rows) tr.hidden = q && !tr.textContent.toLowerCase().includes(q);
    });
    return input;
  }

  A.enhance = function (root) {
    for (const table of root.querySelectorAll("table")) {
      if (table.dataset.dl || !table.tHead || !table.tBodies.length) continue;
      table.dataset.dl = "1";
      const anchor = table.closest(".table-wrap") || table;
      const name = `${A.caseId || "accord"}-${table.id || (table.closest("[id]") || {}).id || "table"}`;
      if (table.tBodies[0].rows.length > 12 || table.classList.contains("sortable")) {
        anchor.before(filterBox(table));
        sortable(table);
      }
      const links = h("p", { class: "small downloads" }, "Download: ",
        h("a", { href: "#", class: "download", onclick: (e) => save(e, name, "csv", table) }, "CSV"), " · ",
        h("a", { href: "#", class: "download", onclick: (e) => save(e, name, "json", table) }, "JSON"));
      anchor.after(links);
    }
    for (const chart of root.querySelectorAll(".js-plotly-plot")) {
      if (chart.dataset.img || chart.closest(".chart-box")) continue;
      chart.dataset.img = "1";
      chart.after(A.imageButtons(chart, `${A.caseId || "accord"}-${chart.id || "chart"}`));
    }
  };

  function save(event, name, ext, table) {
    event.preventDefault();
    const rows = tableRows(table);
    const cols = Object.keys(rows[0] || {});
    const cell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const body = ext === "csv" ? [cols.join(","), ...rows.map((r) => cols.map((c) => cell(r[c] || "")).join(","))].join("\n") + "\n"
      : JSON.stringify(rows, null, 1);
    const a = h("a", { href: URL.createObjectURL(new Blob([body], { type: ext === "csv" ? "text/csv" : "application/json" })),
                       download: `${name}.${ext}` });
    document.body.append(a);
    a.click();
    a.remove();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const main = document.querySelector("main");
    if (!main) return;
    let queued = false;
    new MutationObserver(() => {
      if (queued) return;
      queued = true;
      setTimeout(() => { queued = false; A.enhance(main); }, 200);
    }).observe(main, { childList: true, subtree: true });
    A.enhance(main);
  });
})();
