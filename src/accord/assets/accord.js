/* Accord dashboard: draws a case's network, timeline, positions, runs, comparisons and sensitivity with
 * plotly.js (served by the app from the installed Python plotly package, or inlined in the report), and
 * shows the evidence behind any number clicked.
 *
 * The same drawing functions serve the live dashboard (data fetched from /api) and the self-contained
 * report (data inlined as JSON), so both show the same charts. Text from cases is always inserted as
 * text nodes (never as HTML): uploaded cases are untrusted input.
 */
(function () {
  "use strict";

  const A = (window.Accord = {});
  const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                   "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#ad494a", "#637939", "#e7969c"];
  const CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"] };
  const narrow = () => window.matchMedia("(max-width: 700px)").matches;

  // ---------------------------------------------------------------------------------------------
  // small helpers
  // ---------------------------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  A.h = h;
  // Plotly reads <a href>, <b>, <br> in every text it draws (hover, tick labels, legend names): user text goes through esc.
  const esc = (s) => String(s ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? "–" : Number(x).toFixed(d));
  const $ = (id) => document.getElementById(id);
  const colour = (keys) => Object.fromEntries(keys.map((k, i) => [k, PALETTE[i % PALETTE.length]]));
  const label = (s) => String(s).replace(/_/g, " ");

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

  function plot(el, traces, layout) {
    const base = { margin: { l: 50, r: 20, t: 40, b: 45 }, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#fff",
                   font: { size: narrow() ? 11 : 12 }, hovermode: "closest",
                   legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" } };
    return Plotly.react(el, traces, Object.assign(base, layout || {}), CONFIG).then((gd) => {
      // the chart toolbar is for the mouse: keep its buttons out of the Tab order
      gd.querySelectorAll(".modebar-btn").forEach((b) => b.setAttribute("tabindex", "-1"));
      return gd;
    });
  }

  function onRefClick(el, handler) {
    el.on("plotly_click", (ev) => {
      const p = ev.points && ev.points[0];
      const ref = p && (p.customdata || (p.data.customdata && p.data.customdata[p.pointIndex]));
      if (ref && typeof ref === "string") handler(ref);
    });
  }

  function evButton(text, ref) {
    return h("button", { class: "ev", type: "button", "data-ref": ref, title: "Show the evidence",
                         onclick: () => A.openEvidence(ref) }, text);
  }

  // ---------------------------------------------------------------------------------------------
  // data access: the live API or the report's inline data
  // ---------------------------------------------------------------------------------------------
  A.token = () => localStorage.getItem("accord-token") || "";

  A.api = async function (path, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    if (opts.body && typeof opts.body !== "string") {
      opts.body = JSON.stringify(opts.body);
      opts.headers["Content-Type"] = "application/json";
    }
    if (A.token()) opts.headers["Authorization"] = "Bearer " + A.token();
    const res = await fetch("/api" + path, opts);
    const data = res.headers.get("content-type")?.includes("json") ? await res.json() : await res.text();
    if (!res.ok) {
      const err = new Error(typeof data === "object" ? detailText(data.detail) : String(data));
      err.status = res.status; err.data = data;
      throw err;
    }
    return data;
  };

  function detailText(detail) {
    if (Array.isArray(detail)) return detail.map((d) => d.text || `${(d.loc || []).join(".")}: ${d.msg}`).join("\n");
    if (detail && typeof detail === "object") return detail.message || JSON.stringify(detail);
    return String(detail);
  }

  A.evidenceSource = (caseId, ref) => A.api(`/cases/${encodeURIComponent(caseId)}/evidence?ref=${encodeURIComponent(ref)}`);

  // ---------------------------------------------------------------------------------------------
  // the evidence panel
  // ---------------------------------------------------------------------------------------------
  A.openEvidence = async function (ref, caseId) {
    const panel = $("evidence-panel");
    const body = clear($("ev-body"));
    $("ev-title").textContent = "Evidence";
    A.opener = document.activeElement;
    panel.hidden = false;
    $("ev-close").focus();  // keyboard users land in the panel; Escape or the close button brings them back
    body.appendChild(h("p", { class: "muted" }, "Loading…"));
    try {
      const item = await A.evidenceSource(caseId || A.caseId, ref);
      renderEvidence(item, body);
    } catch (e) {
      clear(body).appendChild(h("p", { class: "error" }, e.message));
    }
  };

  function renderEvidence(item, body) {
    clear(body);
    $("ev-title").textContent = item.label;
    body.appendChild(h("p", { class: "muted small" }, item.ref));
    if (item.point !== null && item.point !== undefined) {
      const b = item.bounds || [];
      body.appendChild(h("p", {}, h("strong", {}, "Value used: " + fmt(item.point, 2)),
        b.length && b[1] > b[0] ? ` (range ${fmt(b[0], 2)}–${fmt(b[1], 2)})` : ""));
    }
    for (const est of item.estimates) {
      const head = est.value === null ? [] : [h("strong", {}, fmt(est.value, 2)),
        est.low !== null || est.high !== null ? ` (${fmt(est.low ?? est.value, 2)}–${fmt(est.high ?? est.value, 2)})` : "",
        est.sources.length ? " — " + (est.source_names || est.sources).join("; ") : "",
        est.date ? " (" + est.date + ")" : "", est.carry_over ? " — carry-over from before the case's period" : ""];
      const div = h("div", { class: "estimate" }, h("div", {}, head), est.note ? h("p", { class: "small" }, est.note) : null);
      for (const p of est.pointers) div.appendChild(renderPointer(p));
      body.appendChild(div);
    }
    if (A.live && /^(stance\/.+\/(position|salience|capability)|issue\/[^/]+\/status_quo)$/.test(item.ref)) {
      body.appendChild(suggestions(item.ref));
    }
  }

  // Candidate sentences to cite for this number (the ranking of `accord evidence suggest`), as pointers to paste.
  function suggestions(ref) {
    const box = h("div", { class: "suggest" });
    const button = h("button", { type: "button", id: "ev-suggest" }, "Suggest passages to cite");
    button.addEventListener("click", async () => {
      clear(box).appendChild(h("p", { class: "muted small" }, "Ranking the corpus's sentences…"));
      try {
        const hits = await A.api(`/cases/${encodeURIComponent(A.caseId)}/suggest?ref=${encodeURIComponent(ref)}&limit=5`);
        clear(box).appendChild(h("h3", {}, "Candidate passages"));
        if (!hits.length) box.appendChild(h("p", { class: "muted small" }, "No sentence of the corpus matches."));
        const list = h("ol", { class: "suggestions" });
        for (const c of hits) {
          const pointer = `{doc: ${c.doc}, start: ${c.start}, end: ${c.end}, sha256: ${c.sha256}}`;
          list.appendChild(h("li", {}, h("blockquote", { class: "passage" }, c.text),
            h("code", { class: "pointer small" }, pointer)));
        }
        box.appendChild(list);
      } catch (e) {
        clear(box).appendChild(h("p", { class: "error" }, e.message));
      }
    });
    box.appendChild(button);
    return box;
  }

  function renderPointer(p) {
    const ps = p.passage;
    const name = p.title ? `${p.title}${p.date ? " (" + p.date + ")" : ""}` : (ps && ps.title) || p.doc;
    const link = A.live ? h("a", { href: `/api/evidence/passage?doc=${encodeURIComponent(p.doc)}&start=${p.start}&end=${p.end}`,
                                    title: `document ${p.doc}` }, `characters ${p.start}–${p.end}`) : `characters ${p.start}–${p.end}`;
    const where = h("div", { class: "small muted" }, `${name} · `, link, " ",
      ps && ps.found ? h("span", { class: "badge" + (ps.verified === false ? " bad" : "") },
        ps.verified === false ? "text changed" : "verified") : null);
    if (!ps) return h("div", {}, where, h("p", { class: "muted small" }, "No corpus on this server: passage not shown."));
    if (!ps.found) return h("div", {}, where, h("p", { class: "error small" }, ps.problem));
    return h("div", {}, where, h("blockquote", { class: "passage" },
      h("span", { class: "ctx" }, ps.before), h("mark", {}, ps.text), h("span", { class: "ctx" }, ps.after)),
      p.note ? h("p", { class: "small" }, p.note) : null);
  }

  // ---------------------------------------------------------------------------------------------
  // charts
  // ---------------------------------------------------------------------------------------------
  const draw = (A.draw = {});

  // A tie between a and b as a quadratic curve bowed by `bow` (0: straight), sampled; its mark at t.
  function curve(a, b, bow, normal, t) {
    const cx = (a.x + b.x) / 2 + 2 * bow * normal[0], cy = (a.y + b.y) / 2 + 2 * bow * normal[1];
    const at = (u) => [(1 - u) * (1 - u) * a.x + 2 * (1 - u) * u * cx + u * u * b.x,
                       (1 - u) * (1 - u) * a.y + 2 * (1 - u) * u * cy + u * u * b.y];
    const pts = [];
    for (let k = 0; k <= (bow ? 16 : 1); k++) pts.push(at(k / (bow ? 16 : 1)));
    const mark = at(t);
    const dx = 2 * (1 - t) * (cx - a.x) + 2 * t * (b.x - cx), dy = 2 * (1 - t) * (cy - a.y) + 2 * t * (b.y - cy);
    return { pts, mark, angle: 90 - (Math.atan2(dy, dx) * 180) / Math.PI };
  }

  draw.network = function (el, net, filterEl) {
    const types = net.types;
    const styles = net.styles || Object.fromEntries(types.map((t, i) => [t, { colour: PALETTE[i % PALETTE.length], dash: "solid", note: "" }]));
    const kinds = [...new Set(net.nodes.map((n) => n.kind))];
    const KIND = ["#13263d", "#c2185b", "#00897b", "#f9a825", "#6d4c41"];
    const kcol = Object.fromEntries(kinds.map((k, i) => ["k" + k, KIND[i % KIND.length]]));
    const at = Object.fromEntries(net.nodes.map((n) => [n.id, n]));
    // ties between the same two actors fan out as curves, one bow each side of the straight line
    const pairKey = (e) => [e.from, e.to].sort().join("|");
    const pairs = {};
    net.edges.filter((e) => at[e.from] && at[e.to]).forEach((e) => (pairs[pairKey(e)] = pairs[pairKey(e)] || []).push(e));
    const shape = new Map();
    // bows are measured in pixels (the axes' units differ in size), then turned back into data units
    const sx = Math.max(el.clientWidth, 300) / 1.24, sy = Math.max(el.clientHeight, 300) / 1.25;
    for (const [key, list] of Object.entries(pairs)) {
      const [p, q] = key.split("|").map((id) => at[id]);
      const dx = (q.x - p.x) * sx, dy = (q.y - p.y) * sy, len = Math.hypot(dx, dy) || 1;
      const normal = [-dy / len / sx, dx / len / sy];  // one pixel across the line, in data units
      const step = Math.min(22, (0.9 * len) / list.length);
      list.forEach((e, k) => shape.set(e, curve(at[e.from], at[e.to], step * (k - (list.length - 1) / 2), normal, e.directed ? 0.6 : 0.5)));
    }
    const traces = [];
    for (const type of types) {
      const edges = net.edges.filter((e) => e.type === type && shape.has(e));
      const st = styles[type];
      const xs = [], ys = [], mx = [], my = [], angles = [], text = [], refs = [];
      edges.forEach((e) => {
        const a = at[e.from], b = at[e.to], c = shape.get(e);
        for (const [x, y] of c.pts) { xs.push(x); ys.push(y); }
        xs.push(null); ys.push(null);
        mx.push(c.mark[0]); my.push(c.mark[1]); angles.push(c.angle);
        text.push(esc(`${label(type)}: ${a.name} ${e.directed ? "→" : "–"} ${b.name}${e.since ? " since " + e.since : ""}`) +
                  (e.applies_if ? "<br>only if: " + esc(e.applies_if) : ""));
        refs.push(e.ref);
      });
      traces.push({ x: xs, y: ys, mode: "lines", line: { color: st.colour, width: 2, dash: st.dash, shape: "spline" }, hoverinfo: "skip",
                    legendgroup: type, name: label(type), meta: "edges:" + type, showlegend: false, opacity: 0.85 });
      traces.push({ x: mx, y: my, mode: "markers", legendgroup: type, showlegend: false, meta: "edgemarks:" + type,
                    marker: { size: 11, color: edges.map((e) => (e.applies_if ? "#fff" : st.colour)),
                              symbol: edges.map((e) => (e.directed ? "triangle-up" : "circle")),
                              angle: angles, line: { width: 1.5, color: edges.map((e) => (e.applies_if ? st.colour : "#fff")) } },
                    text, hovertemplate: "%{text}<extra>click for evidence</extra>", customdata: refs });
    }
    for (const kind of kinds) {
      const nodes = net.nodes.filter((n) => n.kind === kind);
      traces.push({
        x: nodes.map((n) => n.x), y: nodes.map((n) => n.y), mode: "markers+text", name: label(kind), meta: "nodes",
        text: nodes.map((n) => esc(narrow() && n.name.length > 16 ? n.id : n.name)), textposition: "top center", textfont: { size: narrow() ? 10 : 12 },
        marker: { size: nodes.map((n) => (n.capability === null ? 12 : 14 + 46 * n.capability)), color: kcol["k" + kind],
                  line: { width: 1.5, color: "#fff" }, opacity: 0.92 },
        customdata: nodes.map((n) => n.ref),
        hovertext: nodes.map((n) => esc(n.name) + (n.capability === null ? " (no stance)" : `<br>capability ${fmt(n.capability, 2)}`)),
        hovertemplate: "%{hovertext}<extra></extra>",
      });
    }
    const axis = { visible: false, range: [-0.12, 1.12] };
    plot(el, traces, { xaxis: axis, yaxis: Object.assign({}, axis, { range: [-0.1, 1.15] }),
                       legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", title: { text: "actors: " } },
                       margin: { l: 10, r: 10, t: 30, b: 10 } });
    onRefClick(el, (ref) => A.openEvidence(ref));
    el.dataset.actors = String(net.nodes.length);
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", `${net.nodes.length} actors and ${net.edges.length} ties` +
      ($("network-ties") ? "; the table of ties below lists them." : "."));
    if (filterEl) networkFilters(el, filterEl, types, styles, net);
    if ($("network-ties")) tiesTable($("network-ties"), net, styles);
  };

  // The ties as a table: the chart's text alternative, and where each tie's evidence is one click away.
  function tiesTable(el, net, styles) {
    const name = Object.fromEntries(net.nodes.map((n) => [n.id, n.name]));
    const rows = net.edges.map((e) => h("tr", {}, h("td", {}, lineSample(styles[e.type]), " ", label(e.type)),
      h("td", {}, name[e.from] || e.from), h("td", {}, e.directed ? "→" : "–"), h("td", {}, name[e.to] || e.to),
      h("td", {}, e.since || ""), h("td", { class: "small" }, e.applies_if ? "only if: " + e.applies_if : ""),
      h("td", {}, evButton("evidence", e.ref))));
    clear(el).appendChild(h("div", { class: "table-wrap" }, h("table", { class: "sortable", id: "ties-table" },
      h("thead", {}, h("tr", {}, ["type", "from", "", "to", "since", "condition", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows))));
  }

  const SVG = "http://www.w3.org/2000/svg";
  const DASH = { solid: "", dash: "7 4", dot: "2 3", dashdot: "7 3 2 3" };
  function lineSample(st) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "10"); svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "line-sample");
    const line = document.createElementNS(SVG, "line");
    for (const [k, v] of Object.entries({ x1: 1, y1: 5, x2: 29, y2: 5, stroke: st.colour, "stroke-width": 2.5 })) line.setAttribute(k, v);
    if (DASH[st.dash]) line.setAttribute("stroke-dasharray", DASH[st.dash]);
    svg.appendChild(line);
    return svg;
  }

  // The legend and the filters in one: a checkbox per type of tie, with its colour, line style and meaning.
  function networkFilters(el, filterEl, types, styles, net) {
    clear(filterEl);
    const boxes = {};
    const apply = () => {
      const vis = el.data.map((t) => {
        const m = /^edge(?:s|marks):(.*)$/.exec(t.meta || "");
        return m ? boxes[m[1]].checked : true;
      });
      Plotly.restyle(el, { visible: vis });
    };
    const directed = new Set(net.edges.filter((e) => e.directed).map((e) => e.type));
    for (const type of types) {
      const st = styles[type];
      boxes[type] = h("input", { type: "checkbox", checked: true, "data-type": type, onchange: apply });
      filterEl.appendChild(h("label", { title: st.note, "data-legend": type }, boxes[type], lineSample(st), label(type),
        directed.has(type) ? " ▶" : ""));
    }
    const conditional = net.edges.some((e) => e.applies_if);
    const old = filterEl.parentNode.querySelector("#network-legend");
    if (old) old.remove();
    filterEl.after(h("details", { class: "legend small", id: "network-legend", open: !narrow() },
      h("summary", {}, "What the lines and marks mean"),
      h("dl", {}, ...types.flatMap((t) => [h("dt", {}, lineSample(styles[t]), " ", label(t)), h("dd", {}, styles[t].note || "")])),
      h("p", {}, "Solid lines: cooperation; dashed or dotted: hostility, a closed border, no diplomatic relations. ",
        "▶ A triangle points along a one-way tie (from the first actor to the second); ● a circle marks a mutual tie. ",
        conditional ? "○ A hollow mark: a conditional commitment (it applies only if its condition holds; hover for it). " : "",
        "Several ties between the same two actors bow apart. Node colour: the actor's kind (legend above the chart); node size: capability.")));
  }

  draw.timeline = function (el, tl, listEl) {
    const types = tl.types;
    const tcol = colour(types);
    const traces = types.map((type) => {
      const evs = tl.events.filter((e) => e.type === type);
      return { x: evs.map((e) => e.date), y: evs.map(() => label(type)), mode: "markers", name: label(type),
               marker: { size: 12, color: tcol[type], line: { width: 1, color: "#fff" } },
               text: evs.map((e) => esc(`${e.label}: ${e.title}`)), customdata: evs.map((e) => e.ref),
               hovertemplate: "%{text}<extra>click for evidence</extra>" };
    });
    // open on the last year of events (the autumn 2020 war is not one dot next to 1988); the slider and
    // the buttons show the rest
    const dates = tl.events.map((e) => Date.parse(e.date)).filter((d) => !Number.isNaN(d));
    const last = dates.length ? Math.max(...dates) : null, firstDate = dates.length ? Math.min(...dates) : null;
    const day = 86400000;
    const recent = last !== null && last - firstDate > 5 * 365 * day
      ? [new Date(last - 400 * day).toISOString().slice(0, 10), new Date(last + 20 * day).toISOString().slice(0, 10)] : undefined;
    plot(el, traces, { showlegend: false, margin: { l: narrow() ? 90 : 130, r: 15, t: 30, b: 30 },
                       xaxis: { type: "date", range: recent, rangeslider: { visible: true, thickness: 0.08 },
                                rangeselector: { buttons: [{ step: "year", count: 1, label: "last year", stepmode: "backward" },
                                                           { step: "year", count: 10, label: "10 years", stepmode: "backward" },
                                                           { step: "all", label: "all" }] } },
                       yaxis: { automargin: true, fixedrange: true } });
    onRefClick(el, (ref) => A.openEvidence(ref));
    if (listEl) {
      const rows = tl.events.slice().reverse().map((e) => h("tr", {},
        h("td", { class: "num" }, e.label), h("td", {}, h("span", { class: "swatch", style: `background:${tcol[e.type]}` }), " ", label(e.type)),
        h("td", {}, evButton(e.title, e.ref))));
      clear(listEl).appendChild(h("div", { class: "table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, h("th", {}, "date"), h("th", {}, "type"), h("th", {}, "event (click for evidence)"))),
        h("tbody", {}, rows))));
    }
  };

  draw.positions = function (container, pos, tableEl) {
    clear(container);
    const actors = [...new Set(pos.issues.flatMap((i) => i.actors.map((a) => a.actor)))];
    const acol = colour(actors);
    if (pos.pooling) container.appendChild(h("p", { class: "small muted" }, "pooling: " + pos.pooling));
    // all cards first, then the charts: a grid cell's width is only final once its siblings are in place
    const divs = pos.issues.map((issue) => {
      const div = h("div", { class: "chart", "data-issue": issue.id });
      container.appendChild(h("div", { class: "card" }, h("h3", {}, issue.id + ": " + issue.question),
        h("p", { class: "small muted" }, `0 = ${issue.min_label} · 100 = ${issue.max_label} · status quo `,
          evButton(fmt(issue.status_quo), issue.status_quo_ref)),
        (issue.points || []).length ? h("p", { class: "small muted" },
          "scale: " + issue.points.map((p) => `${fmt(p.at)} = ${p.label}`).join(" · ")) : null,
        (issue.consent || []).length ? h("p", { class: "small muted" },
          "needs the consent of: " + issue.consent.join(", ") + " (positions kept to what they would accept)") : null,
        div));
      return div;
    });
    pos.issues.forEach((issue, n) => {
      const div = divs[n];
      const rows = issue.actors.slice().sort((a, b) => a.position - b.position)
        .map((r) => Object.assign({}, r, { name: narrow() && r.name.length > 14 ? r.actor : r.name }));
      const trace = {
        x: rows.map((r) => r.position), y: rows.map((r) => esc(r.name)), mode: "markers", name: "position",
        error_x: { type: "data", symmetric: false, array: rows.map((r) => r.high - r.position),
                   arrayminus: rows.map((r) => r.position - r.low), color: "#9aa5b1", thickness: 1.2 },
        marker: { size: rows.map((r) => 8 + 16 * r.salience), color: rows.map((r) => acol[r.actor]), line: { width: 1, color: "#fff" } },
        customdata: rows.map((r) => r.refs.position),
        text: rows.map((r) => esc(`${r.name}: ${fmt(r.position)} (range ${fmt(r.low)}–${fmt(r.high)}), salience ${fmt(r.salience, 2)}`)),
        hovertemplate: "%{text}<extra>click for evidence</extra>",
      };
      const sqMark = { x: [issue.status_quo], y: rows.length ? [esc(rows[rows.length - 1].name)] : [], mode: "markers", name: "status quo",
                       marker: { symbol: "diamond", size: 13, color: "#222" }, customdata: [issue.status_quo_ref],
                       hovertemplate: `status quo ${fmt(issue.status_quo)}<extra>click for evidence</extra>` };
      plot(div, [trace, sqMark], { showlegend: false, height: 80 + 26 * rows.length,
        margin: { l: 10, r: 15, t: 26, b: 30 }, xaxis: { range: [-3, 103], fixedrange: true },
        yaxis: { automargin: true, fixedrange: true },
        shapes: [{ type: "line", x0: issue.status_quo, x1: issue.status_quo, yref: "paper", y0: 0, y1: 1,
                   line: { color: "#222", dash: "dash", width: 1.5 } }],
        annotations: [{ x: issue.status_quo, y: 1, yref: "paper", yanchor: "bottom", text: "status quo", showarrow: false,
                        font: { size: 11 } }] });
      onRefClick(div, (ref) => A.openEvidence(ref));
    });
    if (tableEl) positionsTable(tableEl, pos);
  };

  function positionsTable(tableEl, pos) {
    const byActor = {};
    for (const issue of pos.issues) for (const r of issue.actors) {
      byActor[r.actor] = byActor[r.actor] || { name: r.name, cells: {}, capRef: null, cap: r.capability };
      byActor[r.actor].cells[issue.id] = r;
    }
    const head = h("tr", {}, h("th", {}, "actor"), h("th", { class: "num" }, "capability"),
      pos.issues.map((i) => h("th", { class: "num" }, i.id + " (pos / sal)")));
    const sq = h("tr", {}, h("td", {}, h("em", {}, "status quo")), h("td", {}),
      pos.issues.map((i) => h("td", { class: "num" }, evButton(fmt(i.status_quo), i.status_quo_ref))));
    const rows = Object.entries(byActor).map(([, a]) => {
      const any = Object.values(a.cells)[0];
      return h("tr", {}, h("td", {}, a.name), h("td", { class: "num" }, evButton(fmt(a.cap, 2), any.refs.capability)),
        pos.issues.map((i) => {
          const c = a.cells[i.id];
          return h("td", { class: "num" }, c ? [evButton(fmt(c.position), c.refs.position), " / ", evButton(fmt(c.salience, 2), c.refs.salience)] : "–");
        }));
    });
    clear(tableEl).appendChild(h("div", { class: "table-wrap" }, h("table", { class: "numbers" }, h("thead", {}, head), h("tbody", {}, sq, rows))));
  }

  draw.forecastTable = function (el, result) {
    const draws = result.draws > 0;
    const head = h("tr", {}, h("th", {}, "issue"), h("th", { class: "num" }, "status quo"), h("th", { class: "num" }, "point run"),
      draws ? [h("th", { class: "num" }, "median"), h("th", { class: "num" }, "80% interval")] : [],
      h("th", { class: "num" }, "status quo stable"));
    const rows = result.forecast.map((r) => h("tr", {}, h("td", {}, r.issue), h("td", { class: "num" }, fmt(r.status_quo)),
      h("td", { class: "num" }, fmt(r.point)),
      draws ? [h("td", { class: "num" }, fmt(r.median)), h("td", { class: "num" }, `${fmt(r.p10 ?? r.p05)}–${fmt(r.p90 ?? r.p95)}`)] : [],
      h("td", { class: "num" }, r.stable_share === null || r.stable_share === undefined ? "–" : Math.round(100 * r.stable_share) + "%")));
    clear(el).appendChild(h("div", { class: "table-wrap" }, h("table", { class: "forecast" }, h("thead", {}, head), h("tbody", {}, rows))));
    if (draws && result.interval_kind) {  // what the interval holds (the default adds the DEU model error)
      el.appendChild(h("p", { class: "small muted interval-kind" }, `Model ${result.model}; 80% interval: ${result.interval_kind}.`));
    }
    if (result.scales) {  // every forecast with the meaning of its scale's ends
      el.appendChild(h("p", { class: "small muted scales" }, "Scales: ", ...result.forecast.map((r, k) => {
        const sc = result.scales[r.issue] || {};
        return [k ? "; " : "", h("strong", {}, r.issue), `: 0 = ${sc.min_label}, 100 = ${sc.max_label}`];
      })));
    }
    if (draws) el.appendChild(h("p", { class: "small muted" }, "The headline is the median and interval of the draws; " +
      "the point run (the point estimates run once) is shown for reference."));
  };

  // Last round at which any series still moves by more than half a point (SMP runs are padded to the
  // turn cap once they settle, and a few capped draws keep the mean creeping by hundredths).
  const lastMove = (series) => {
    let last = 1;
    for (const ys of series) {
      const end = ys[ys.length - 1];
      for (let k = ys.length - 1; k > 0; k--) { if (Math.abs(ys[k] - end) > 0.5) { last = Math.max(last, k + 1); break; } }
    }
    return last;
  };

  draw.outcome = function (el, result) {
    const icol = colour(result.issues);
    const traces = [];
    const series = [];
    for (const issue of result.issues) {
      const ys = result.outcome[issue];
      series.push(ys);
      // one legend entry per issue: clicking it shows or hides the issue's line, band and mean together
      const group = { legendgroup: issue };
      if (result.path_bands) {
        // 5-95% of the draws per round: a shaded band in the issue's colour
        const b = result.path_bands[issue];
        const xs = b.p05.map((_, k) => k);
        series.push(b.p05, b.p95);
        traces.push({ ...group, x: xs, y: b.p05, mode: "lines", line: { width: 0, color: icol[issue] }, showlegend: false,
                      hoverinfo: "skip", name: issue + " 5%" });
        traces.push({ ...group, x: xs, y: b.p95, mode: "lines", line: { width: 0, color: icol[issue] }, fill: "tonexty",
                      fillcolor: icol[issue] + "1f", showlegend: false, name: issue + " 5-95% of draws" });
      }
      traces.push({ ...group, x: ys.map((_, k) => k), y: ys, mode: "lines+markers", name: issue, line: { color: icol[issue] } });
      if (result.mean_path) {
        const mp = result.mean_path[issue];
        series.push(mp);
        traces.push({ ...group, x: mp.map((_, k) => k), y: mp, mode: "lines", name: issue + " (mean of draws)", showlegend: false,
                      line: { color: icol[issue], dash: "dot" } });
      }
    }
    const last = Math.min(series[0].length - 1, lastMove(series) + 2);
    plot(el, traces, { xaxis: { title: { text: "round" }, range: [0, last] },
                       yaxis: { range: [-2, 102], title: { text: "predicted outcome" } } });
  };

  draw.trajectories = function (el, result, issue) {
    const acol = colour(result.actors);
    const traces = result.actors.map((actor) => {
      const ys = result.positions[actor][issue];
      return { x: ys.map((_, k) => k), y: ys, mode: "lines", name: actor, line: { color: acol[actor] } };
    });
    const out = result.outcome[issue];
    traces.push({ x: out.map((_, k) => k), y: out, mode: "lines", name: "outcome", line: { color: "#000", width: 3, dash: "dash" } });
    plot(el, traces, { xaxis: { title: { text: "round" } }, yaxis: { range: [-2, 102], title: { text: issue + " position" } } });
  };

  draw.interval = function (el, result) {
    if (!result.finals) {
      const f = result.forecast;
      plot(el, [{ x: f.map((r) => r.issue), y: f.map((r) => r.point), type: "bar", name: "forecast", marker: { color: "#1f5fa8" } },
                { x: f.map((r) => r.issue), y: f.map((r) => r.status_quo), mode: "markers", name: "status quo",
                  marker: { symbol: "diamond", size: 12, color: "#222" } }],
           { yaxis: { range: [0, 102] } });
      return;
    }
    const icol = colour(result.issues);
    const traces = result.issues.map((issue) => ({ y: result.finals[issue], type: "box", name: issue, boxpoints: false,
                                                   marker: { color: icol[issue] } }));
    traces.push({ x: result.forecast.map((r) => r.issue), y: result.forecast.map((r) => r.status_quo), mode: "markers",
                  name: "status quo", marker: { symbol: "diamond", size: 11, color: "#222" } });
    plot(el, traces, { showlegend: false, yaxis: { range: [-2, 102], title: { text: `final outcome (${result.draws} draws)` } } });
  };

  // The run document (Run.to_json(), the shape of `accord run --json`) and its charts (final outcome of
  // each draw, mean path, bands per round) read into the arrays the run charts draw.
  const runView = (A.runView = function (body) {
    const doc = body.result;
    if (Array.isArray(doc.forecast)) return doc;  // a result stored before the one shape: already the view
    const charts = body.charts || {};
    const issues = Object.keys(doc.issues);
    const actors = Object.keys(doc.rounds[0].positions);
    const rows = doc.summary.issues;
    const series = (get) => doc.rounds.map(get);
    return {
      case: doc.case, scenario: doc.scenario, model: doc.model, seed: doc.seed, draws: doc.draws,
      rounds: doc.rounds_run, issues, actors, triggers: doc.triggers, stable_all: doc.summary.stable_all,
      forecast: issues.map((i) => ({
        issue: i, status_quo: doc.status_quo[i], point: doc.point_forecast[i], median: doc.forecast[i],
        p10: doc.interval[i] ? doc.interval[i].low : null, p90: doc.interval[i] ? doc.interval[i].high : null,
        p05: doc.draws ? rows[i].p05 : null, p95: doc.draws ? rows[i].p95 : null,
        mean: doc.draws ? rows[i].mean : null, stable_share: rows[i].stable_share,
      })),
      scales: Object.fromEntries(issues.map((i) => [i, { min_label: doc.issues[i].scale["0"], max_label: doc.issues[i].scale["100"] }])),
      outcome: Object.fromEntries(issues.map((i) => [i, series((r) => r.outcome[i])])),
      positions: Object.fromEntries(actors.map((a) => [a, Object.fromEntries(issues.map((i) => [i, series((r) => r.positions[a][i])]))])),
      finals: charts.finals || null, mean_path: charts.mean_path || null, path_bands: charts.path_bands || null,
    };
  });

  draw.run = function (container, result) {
    clear(container);
    const table = h("div", {});
    const outcome = h("div", { class: "chart run-outcome" });
    const interval = h("div", { class: "chart run-interval" });
    const traj = h("div", { class: "chart run-trajectories" });
    const pick = h("select", { "aria-label": "issue" }, result.issues.map((i) => h("option", { value: i }, i)));
    container.appendChild(h("div", { class: "card" }, h("h2", {},
      `Forecast: ${result.case}${result.scenario ? " · scenario " + result.scenario : ""} · ${result.model} · ` +
      (result.draws ? `${result.draws} draws` : "point estimates") + ` · ${result.rounds} rounds`), table));
    container.appendChild(h("div", { class: "grid" },
      h("div", { class: "card" }, h("h3", {}, "Outcome per round"), outcome),
      h("div", { class: "card" }, h("h3", {}, result.draws ? "Forecast across draws (box: quartiles, whiskers)" : "Forecast"), interval)));
    container.appendChild(h("div", { class: "card" }, h("div", { class: "controls" }, h("h3", {}, "Actors' positions per round"),
      h("label", {}, "issue", pick)), traj));
    draw.forecastTable(table, result);
    draw.outcome(outcome, result);
    draw.interval(interval, result);
    draw.trajectories(traj, result, result.issues[0]);
    pick.addEventListener("change", () => draw.trajectories(traj, result, pick.value));
  };

  draw.compare = function (el, items, issue, tableEl) {
    const traces = items.filter((it) => it.result).map((it, k) => {
      const r = it.result;
      const ys = r.finals ? r.finals[issue] : [r.forecast.find((f) => f.issue === issue).point];
      return { y: ys, type: r.finals ? "violin" : "box", name: esc(it.label), box: { visible: true }, meanline: { visible: true },
               points: false, spanmode: "hard", line: { color: PALETTE[k % PALETTE.length] } };
    });
    const first = items.find((it) => it.result);
    const sq = first ? first.result.forecast.find((f) => f.issue === issue).status_quo : null;
    plot(el, traces, { showlegend: false, yaxis: { range: [-2, 102], title: { text: issue + ": final outcome" } },
                       xaxis: { automargin: true, tickangle: items.length > 4 ? -25 : 0 },
                       shapes: sq === null ? [] : [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: sq, y1: sq,
                                                      line: { dash: "dash", color: "#a34100" } }],
                       annotations: sq === null ? [] : [{ xref: "paper", x: 1, y: sq, xanchor: "right", yanchor: "bottom",
                                                          text: `status quo ${fmt(sq)}`, showarrow: false, font: { size: 10, color: "#a34100" } }] });
    if (tableEl) {
      const issues = first?.result.issues || [];
      const mid = (f) => (f.p05 === null ? f.point : f.median);
      const head = h("tr", {}, h("th", {}, "variant"), issues.map((i) => h("th", { class: "num" }, i + " median (80%)")));
      const rows = items.filter((it) => it.result).map((it) => h("tr", {}, h("td", {}, it.label),
        it.result.forecast.map((f, j) => {
          const delta = it === first ? "" : ` ${mid(f) - mid(first.result.forecast[j]) >= 0 ? "+" : ""}${fmt(mid(f) - mid(first.result.forecast[j]))} vs first`;
          return h("td", { class: "num" }, f.p05 === null ? fmt(f.point) : `${fmt(f.median)} (${fmt(f.p10 ?? f.p05)}–${fmt(f.p90 ?? f.p95)})`,
                   delta ? h("br") : null, delta ? h("span", { class: "muted small" }, delta) : null);
        })));
      clear(tableEl).appendChild(h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, head), h("tbody", {}, rows))));
    }
  };

  draw.tornado = function (el, data) {
    const bars = data.bars.slice().reverse();
    const names = bars.map((b) => `${b.actor} ${b.attribute}${b.documented_range ? "" : " *"}`);
    const mk = (key, name, color) => ({
      y: names, x: bars.map((b) => b[key] - data.base), base: data.base, type: "bar", orientation: "h", name, marker: { color },
      customdata: bars.map((b) => b.ref),
      text: bars.map((b) => esc(`${b.actor} ${b.attribute} at ${fmt(key === "at_low" ? b.low_value : b.high_value, 2)} → forecast ${fmt(b[key])}`)),
      hovertemplate: "%{text}<extra>click for evidence</extra>", textposition: "none",
    });
    plot(el, [mk("at_low", "input at its low value", "#4e79a7"), mk("at_high", "input at its high value", "#e15759")], {
      // grouped, not overlaid: when both ends push the same way, the shorter bar stays visible
      barmode: "group", bargap: 0.25, height: 120 + 34 * bars.length, margin: { l: 10, r: 20, t: 30, b: 40 },
      xaxis: { range: [-2, 102], title: { text: `forecast on ${data.issue} (base ${fmt(data.base)}, ${data.model})` } },
      yaxis: { automargin: true }, shapes: [{ type: "line", x0: data.base, x1: data.base, yref: "paper", y0: 0, y1: 1,
                                              line: { color: "#000", dash: "dash" } }],
    });
    onRefClick(el, (ref) => A.openEvidence(ref));
  };

  // ---------------------------------------------------------------------------------------------
  // live pages
  // ---------------------------------------------------------------------------------------------
  const pages = (A.pages = {});

  pages.network = async () => draw.network($("network"), await A.api(`/cases/${A.caseId}/network`), $("network-filters"));

  pages.timeline = async () => draw.timeline($("timeline"), await A.api(`/cases/${A.caseId}/timeline`), $("timeline-list"));

  pages.positions = async () => draw.positions($("positions"), await A.api(`/cases/${A.caseId}/positions`), $("positions-table"));

  A.poll = poll;
  async function poll(runId, onProgress) {
    for (;;) {
      const run = await A.api(`/runs/${runId}`);
      onProgress(run);
      if (run.status === "done" || run.status === "failed") return run;
      await new Promise((r) => setTimeout(r, 400));
    }
  }

  function progressRow(run) {
    const bar = h("div", { class: "progress", role: "progressbar", "aria-valuenow": Math.round(100 * run.progress) },
      h("div", { style: `width:${Math.round(100 * run.progress)}%` }));
    return bar;
  }

  async function showRun(runId, statusEl, resultEl) {
    const run = await poll(runId, (r) => {
      clear(statusEl).appendChild(h("div", { class: "controls" },
        h("span", { class: "status-" + r.status, id: "run-status", "data-status": r.status }, `Run ${r.id}: ${r.status}`),
        progressRow(r), h("span", { class: "muted small" }, `${Math.round(100 * r.progress)}%`)));
      if (r.error) statusEl.appendChild(h("p", { class: "error" }, r.error));
    });
    if (run.status === "done") {
      draw.run(resultEl, runView(await A.api(`/runs/${runId}/result`)));
    }
    return run;
  }

  async function fillScenarios(select, withNone) {
    const list = await A.api(`/scenarios?case=${encodeURIComponent(A.caseId)}`);
    clear(select);
    if (withNone) select.appendChild(h("option", { value: "" }, "— the case as it is —"));
    for (const s of list) select.appendChild(h("option", { value: s.id }, s.title));
    return list;
  }

  async function recentRuns(el) {
    const runs = await A.api(`/runs?case=${encodeURIComponent(A.caseId)}&kind=run&limit=15`);
    const rows = runs.map((r) => h("tr", {}, h("td", {}, h("a", { href: `/runs/${r.id}?case=${encodeURIComponent(r.case)}` }, "#" + r.id)),
      h("td", {}, r.scenario || "—"), h("td", {}, r.model), h("td", { class: "num" }, r.draws),
      h("td", { class: "status-" + r.status }, r.status), h("td", {}, r.created_at ? r.created_at.slice(0, 19).replace("T", " ") : "")));
    clear(el).appendChild(h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {},
      ["run", "scenario", "model", "draws", "status", "started (UTC)"].map((t) => h("th", {}, t)))), h("tbody", {}, rows))));
  }

  async function recordedRuns(el) {
    const runs = await A.api(`/recorded-runs?case=${encodeURIComponent(A.caseId)}&limit=15`);
    if (!runs.length) { clear(el).appendChild(h("p", { class: "muted small" }, "None yet.")); return; }
    const issues = Object.keys(runs[0].summary.issues || {});
    const rows = runs.map((r) => h("tr", {}, h("td", { class: "small" }, r.id), h("td", {}, r.scenario_id || "—"), h("td", {}, r.model),
      h("td", { class: "num" }, r.draws), issues.map((i) => {
        const x = (r.summary.issues || {})[i];
        return h("td", { class: "num" }, x ? (r.draws ? `${fmt(x.median)} (${fmt(x.p10 ?? x.p05)}–${fmt(x.p90 ?? x.p95)})` : fmt(x.median)) : "–");
      })));
    clear(el).appendChild(h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {},
      ["run", "scenario", "model", "draws"].map((t) => h("th", {}, t)), issues.map((i) => h("th", { class: "num" }, i)))),
      h("tbody", {}, rows))));
  }

  pages.runs = async () => {
    const form = $("run-form");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = form.elements;
      const body = { case: A.caseId, model: f.model.value, draws: Number(f.draws.value || 0), seed: Number(f.seed.value || 0) };
      if (f.scenario.value) body.scenario = f.scenario.value;
      if (f.rounds.value) body.rounds = Number(f.rounds.value);
      const status = $("run-status-box");
      try {
        f.start.disabled = true;
        const run = await A.api("/runs", { method: "POST", body });
        history.replaceState(null, "", `/runs/${run.id}?case=${encodeURIComponent(A.caseId)}`);
        await showRun(run.id, status, $("run-result"));
        recentRuns($("recent-runs"));
      } catch (e) {
        clear(status).appendChild(h("p", { class: "error", id: "run-error" }, e.status === 401 ? "Starting a run needs a token: paste one in the header (accord token create)." : e.message));
      } finally {
        f.start.disabled = false;
      }
    });
    // the form works from the start; the scenario list and the runs arrive when the API answers
    const runId = document.body.dataset.run;
    if (runId) showRun(runId, $("run-status-box"), $("run-result")).then(() => recentRuns($("recent-runs")));
    recentRuns($("recent-runs"));
    recordedRuns($("recorded-runs")).catch(() => {});
    await fillScenarios(form.elements.scenario, true);
  };

  draw.global = function (el, result, issue) {
    const rows = (result.issues[issue] || []).slice(0, 15).reverse();
    const sobol = result.method === "sobol";
    const traces = sobol
      ? [{ y: rows.map((r) => r.input), x: rows.map((r) => r.ST), error_x: { type: "data", array: rows.map((r) => r.ST_conf), color: "#888" },
           type: "bar", orientation: "h", name: "total effect (ST)", marker: { color: "#e15759" } },
         { y: rows.map((r) => r.input), x: rows.map((r) => r.S1), type: "bar", orientation: "h", name: "first order (S1)",
           marker: { color: "#4e79a7" } }]
      : [{ y: rows.map((r) => r.input), x: rows.map((r) => r.mu_star), error_x: { type: "data", array: rows.map((r) => r.mu_star_conf), color: "#888" },
           type: "bar", orientation: "h", name: "mu* (mean absolute effect)", marker: { color: "#e15759" } },
         { y: rows.map((r) => r.input), x: rows.map((r) => r.sigma), type: "bar", orientation: "h", name: "sigma (interactions)",
           marker: { color: "#4e79a7" } }];
    plot(el, traces, { barmode: "group", height: 140 + 34 * rows.length, margin: { l: 10, r: 20, t: 40, b: 40 },
      yaxis: { automargin: true }, xaxis: { title: { text: `${result.method} indices for ${issue} (${result.evaluations} model runs)` } } });
  };

  async function globalSensitivity() {
    const form = $("global-form");
    const status = $("global-status");
    let result = null;
    const redraw = () => { if (result) draw.global($("global-chart"), result, form.elements.issue.value); };
    form.elements.issue.addEventListener("change", redraw);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = form.elements;
      try {
        const run = await A.api("/sensitivity", { method: "POST", body: { case: A.caseId, model: f.model.value, method: f.method.value,
          samples: Number(f.samples.value), group_by: f.group_by.value } });
        const done = await poll(run.id, (r) => {
          clear(status).appendChild(h("div", { class: "controls" }, h("span", { class: "status-" + r.status, "data-status": r.status },
            `Analysis ${r.id}: ${r.status}`), progressRow(r), h("span", { class: "muted small" }, `${Math.round(100 * r.progress)}%`)));
        });
        if (done.status === "done") { result = (await A.api(`/runs/${run.id}/result`)).result; redraw(); }
        else status.appendChild(h("p", { class: "error" }, done.error));
      } catch (e) {
        clear(status).appendChild(h("p", { class: "error" }, e.status === 401 ? "A global analysis runs the model many times: paste a token in the header." : e.message));
      }
    });
  }

  pages.sensitivity = async () => {
    globalSensitivity();
    const form = $("sens-form");
    const go = async () => {
      const f = form.elements;
      const el = $("tornado");
      try {
        const data = await A.api(`/cases/${A.caseId}/sensitivity?issue=${encodeURIComponent(f.issue.value)}&model=${f.model.value}`);
        $("sens-error").textContent = "";
        draw.tornado(el, data);
      } catch (e) {
        $("sens-error").textContent = e.message;
      }
    };
    form.addEventListener("submit", (ev) => { ev.preventDefault(); go(); });
    go();
  };

  pages.evidence = async () => {
    const form = $("search-form");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const out = clear($("search-results"));
      try {
        const hits = await A.api(`/evidence/search?q=${encodeURIComponent(form.elements.q.value)}&limit=15`);
        if (!hits.length) out.appendChild(h("p", { class: "muted" }, "No passages found. The search covers the corpus store (accord corpus add, or add a text below)."));
        for (const hit of hits) out.appendChild(h("div", { class: "estimate" },
          h("div", { class: "small muted" }, `${hit.title || hit.doc} · ${hit.doc} [${hit.start}:${hit.end}]`),
          h("blockquote", { class: "passage" }, hit.text),
          h("code", { class: "small" }, `{doc: ${hit.doc}, start: ${hit.start}, end: ${hit.end}, sha256: ${hit.sha256}}`)));
      } catch (e) { out.appendChild(h("p", { class: "error" }, e.message)); }
    });
    const rows = await A.api(`/cases/${A.caseId}/evidence-table`);
    const seen = new Set();
    const key = (r) => `${r.ref}|${r.value}|${r.source}`;
    const body = rows.filter((r) => !seen.has(key(r)) && seen.add(key(r))).map((r) => h("tr", {},
      h("td", {}, evButton(r.label, r.ref)), h("td", { class: "num" }, r.value === null ? "" : fmt(r.value, 2)),
      h("td", { class: "num" }, r.used === null || r.used === undefined ? "" : fmt(r.used, 2)),
      h("td", {}, r.source), h("td", { class: "num" }, `${r.start}–${r.end}`)));
    clear($("evidence-table")).appendChild(h("div", { class: "table-wrap" }, h("table", { class: "sortable" },
      h("thead", {}, h("tr", {}, ["what (click)", "this source", "value used", "source", "characters"].map((t) => h("th", {}, t)))),
      h("tbody", {}, body))));
    const add = $("doc-form");
    add.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = add.elements;
      try {
        const r = await A.api("/evidence/documents", { method: "POST", body: { doc: f.doc.value, text: f.text.value, title: f.title.value || null } });
        $("doc-status").textContent = `${r.doc}: ${r.status} (version ${r.version}, ${r.passages} passages)`;
      } catch (e) { $("doc-status").textContent = e.message; }
    });
  };

  pages.cases = async () => {
    const form = $("upload-form");
    const out = $("upload-status");
    const file = form.elements.file;
    file.addEventListener("change", async () => {
      if (file.files[0]) { form.elements.text.value = await file.files[0].text(); form.elements.filename.value = file.files[0].name; }
    });
    const send = async (path, method) => {
      clear(out);
      const f = form.elements;
      const kind = f.kind.value;
      const body = { text: f.text.value, filename: f.filename.value || "upload.yaml" };
      if (method === "store") body.replace = f.replace.checked;
      try {
        const r = await A.api(`/${kind}${path}`, { method: "POST", body });
        const problems = r.problems || [];
        if (method === "check") out.appendChild(problems.length ? h("div", { class: "problems" }, problems.map((p) => p.text || String(p)).join("\n"))
                                                                 : h("p", { class: "status-done" }, "Valid."));
        else out.appendChild(h("p", { class: "status-done" }, `Stored ${r.id}. `, kind === "cases" ? h("a", { href: `/?case=${r.id}` }, "Open it") : ""));
      } catch (e) {
        out.appendChild(h("div", { class: "problems" }, e.status === 401 ? "Storing needs a token: paste one in the header." : e.message));
      }
    };
    $("btn-validate").addEventListener("click", () => send("/validate", "check"));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); send("", "store"); });
  };

  // ---------------------------------------------------------------------------------------------
  // start-up
  // ---------------------------------------------------------------------------------------------
  function wireChrome() {
    const close = $("ev-close");
    const shut = () => {
      if (!$("evidence-panel") || $("evidence-panel").hidden) return;
      $("evidence-panel").hidden = true;
      if (A.opener && document.contains(A.opener)) A.opener.focus();
    };
    if (close) close.addEventListener("click", shut);
    document.addEventListener("keydown", (e) => { if (e.key === "Escape") shut(); });
    const tok = $("token");
    if (tok) {
      tok.value = A.token();
      tok.addEventListener("change", () => localStorage.setItem("accord-token", tok.value.trim()));
    }
  }

  A.boot = function () {
    A.live = true;  // the dashboard (the report has no server to link to)
    wireChrome();
    A.caseId = document.body.dataset.case;
    const view = document.body.dataset.view;
    if (pages[view]) pages[view]().catch((e) => {
      const main = document.querySelector("main");
      main.insertBefore(h("p", { class: "error" }, e.message), main.firstChild);
    });
  };

  // The report: every view drawn from inline data; evidence looked up in the inline table.
  A.bootReport = function (data) {
    wireChrome();
    A.caseId = data.case.id;
    A.evidenceSource = async (_caseId, ref) => {
      if (!data.evidence[ref]) throw new Error("no evidence recorded for " + ref);
      return data.evidence[ref];
    };
    if (data.answer && A.drawAnswer) {
      A.passageSource = async (p) => {
        const found = (data.passages || {})[`${p.doc}:${p.start}:${p.end}`];
        if (!found || !found.found) throw new Error("the passage is not in this report (no corpus was given)");
        return found;
      };
      A.drawAnswer(data.answer);
    }
    draw.network($("network"), data.network, $("network-filters"));
    draw.timeline($("timeline"), data.timeline, null);
    draw.positions($("positions"), data.positions, $("positions-table"));
    data.runs = data.runs.map((run) => ({ label: run.label, result: runView(run.result) }));
    data.runs.forEach((run, k) => draw.run($("run-" + k), run.result));
    if (data.runs.length > 1) {
      const sel = $("compare-issue");
      const redraw = () => draw.compare($("compare-chart"), data.runs, sel.value, $("compare-table"));
      sel.addEventListener("change", redraw);
      redraw();
    }
    data.sensitivity.forEach((t, k) => draw.tornado($("tornado-" + k), t));
  };
})();
