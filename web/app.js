// The page of `shrewd serve`: talks to the JSON API of the same server (docs/serve.md).
"use strict";

const state = { token: sessionStorage.getItem("shrewd-token") || "", stats: null, queryLabel: null, charts: [], repeat: null };
const $ = (id) => document.getElementById(id);

function headers(extra = {}) {
  return state.token ? { ...extra, Authorization: `Bearer ${state.token}` } : extra;
}

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: headers(options.headers || {}) });
  if (response.status === 401) {
    $("token-panel").hidden = false;
    throw new Error("this server needs an access token");
  }
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function say(text, info = false) {
  $("message").textContent = text;
  $("message").className = info ? "message info" : "message";
}

// Thumbnails load through fetch when a token is needed (an <img> cannot send the header).
function thumbnail(id, alt) {
  if (!state.stats || !state.stats.images || id >= state.stats.images.count) {
    const empty = document.createElement("div");
    empty.className = "noimage";
    empty.textContent = "no image";
    return empty;
  }
  const img = document.createElement("img");
  img.alt = alt;
  img.loading = "lazy";
  const url = `/api/items/${id}/thumbnail.png`;
  if (!state.token) img.src = url;
  else fetch(url, { headers: headers() }).then((r) => r.blob()).then((b) => { img.src = URL.createObjectURL(b); });
  return img;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function loadStats() {
  state.stats = await api("/api/stats");
  const s = state.stats;
  $("stats").textContent =
    `${s.items.toLocaleString()} items · ${s.bits}-bit codes · ${s.index.kind || "index"} index · ` +
    `generation ${s.generation} (loaded ${s.loaded_at})` + (s.model ? ` · model: ${s.model}` : "");
  $("upload-search").disabled = !s.model;
  $("upload-input").disabled = !s.model;
  if (!s.model) $("upload-input").title = "start shrewd serve with --model to search by image";
}

function searchOptions() {
  const mode = $("mode-select").value;
  const amount = Number.parseInt($("amount-input").value, 10);
  const amountOption = mode === "radius" ? { radius: Number.isFinite(amount) ? amount : 2 }
                                         : { k: Number.isFinite(amount) && amount > 0 ? amount : 24 };
  return { ...amountOption, distinct: $("distinct-input").checked, shells: $("group-input").checked };
}

function showQuery(answer, source) {
  const box = $("query");
  box.replaceChildren();
  const q = answer.query;
  if (q.id !== undefined) box.append(thumbnail(q.id, `query item ${q.id}`));
  else if (source) {
    const img = document.createElement("img");
    img.src = URL.createObjectURL(source);
    img.alt = "uploaded query";
    box.append(img);
  }
  const text = element("div");
  text.append(element("div", "", q.id !== undefined ? `item ${q.id}` : "uploaded image"));
  if (q.class !== undefined || q.label !== undefined) text.append(element("div", "", `class: ${q.class ?? q.label}`));
  text.append(element("div", "code", `code ${q.code}`));
  box.append(text);
  state.queryLabel = q.label ?? null;
  highlightQueryClass(q.label);
}

const hue = (similarity) => `hsl(${Math.round(similarity * 120)}, 65%, 45%)`;

function className(entry) {
  if (entry.other_classes) return "other classes";
  return entry.class ?? (entry.label !== undefined ? `label ${entry.label}` : "no label");
}

// A bar of a group's classes, each segment as wide as its share and coloured by its similarity to
// the query's class (grey when unknown), with the largest classes named below it.
function classMix(classes, total) {
  const box = element("div", "mix");
  const bar = element("div", "mix-bar");
  for (const entry of classes) {
    const part = element("span");
    part.style.width = `${(100 * entry.count) / total}%`;
    part.style.background = entry.similarity === undefined ? "#b8bfcc" : hue(entry.similarity);
    part.title = `${className(entry)}: ${entry.count.toLocaleString()}` +
      (entry.similarity !== undefined ? ` (s = ${entry.similarity.toFixed(2)})` : "");
    bar.append(part);
  }
  box.append(bar);
  const named = classes.slice(0, 4).map((entry) => `${className(entry)} ${entry.count.toLocaleString()}`);
  if (classes.length > 4) named.push(`+${classes.length - 4} more`);
  box.append(element("div", "mix-names", named.join(" · ")));
  return box;
}

function resultCard(r) {
  const card = element("div", "card");
  card.dataset.id = r.id;
  if (r.similarity === undefined) card.classList.add("unknown");
  else card.style.setProperty("--s", r.similarity);
  card.append(thumbnail(r.id, `item ${r.id}`));
  if (r.count > 1) card.append(element("div", "count", `× ${r.count.toLocaleString()}`));
  card.append(element("div", "distance", `d = ${r.distance}`));
  card.append(element("div", "", r.class ?? (r.label !== undefined ? `label ${r.label}` : `#${r.id}`)));
  card.append(element("div", "muted", `#${r.id}` + (r.similarity !== undefined ? ` · s = ${r.similarity.toFixed(2)}` : "")));
  if (Array.isArray(r.classes) && r.classes.length > 1)
    card.append(element("div", "muted", `${r.classes.length} classes share this code`));
  if (r.similarity !== undefined) {
    const bar = element("div", "bar");
    const fill = element("span");
    fill.style.width = `${Math.round(r.similarity * 100)}%`;
    bar.append(fill);
    card.append(bar);
  }
  card.title = r.count > 1
    ? `${r.count} items share this code (shown: item ${r.id}); Hamming distance ${r.distance}; click to search with it`
    : `item ${r.id}: Hamming distance ${r.distance}; click to search with it`;
  card.addEventListener("click", () => searchById(r.id));
  return card;
}

function cardGrid(results) {
  const grid = element("div", "grid");
  for (const r of results) grid.append(resultCard(r));
  return grid;
}

function showResults(answer) {
  const box = $("results");
  box.replaceChildren();
  const count = answer.results.length;
  const items = answer.distinct ? answer.results.reduce((sum, r) => sum + r.count, 0) : count;
  const what = answer.distinct ? `${count} distinct codes (${items.toLocaleString()} items)` : `${count} items`;
  $("results-summary").textContent = answer.mode === "radius"
    ? `· ${what} within radius ${answer.radius}${answer.truncated ? " (cut at the server's limit)" : ""}`
    : `· the nearest ${what}`;
  if (count === 0) {
    box.append(element("p", "muted", "No neighbours."));
    return;
  }
  if (!Array.isArray(answer.shells)) {
    box.append(cardGrid(answer.results));
    return;
  }
  for (const shell of answer.shells) {
    const shown = answer.results.filter((r) => r.distance === shell.distance);
    const section = element("section", "shell");
    section.dataset.distance = shell.distance;
    const heading = element("h3", "", `d = ${shell.distance} `);
    heading.append(element("span", "muted",
      `${shell.count.toLocaleString()} item${shell.count === 1 ? "" : "s"}` +
      (answer.distinct ? ` · ${shown.length} distinct code${shown.length === 1 ? "" : "s"} shown` : "")));
    section.append(heading, classMix(shell.classes, shell.count), cardGrid(shown));
    box.append(section);
  }
}

async function run(task) {
  say("searching…", true);
  try {
    await task();
    say("");
  } catch (error) {
    say(error.message);
  }
}

function searchById(id) {
  $("id-input").value = id;
  state.repeat = () => searchById(id);
  return run(async () => {
    const request = { id: Number(id), exclude_query: $("exclude-input").checked, ...searchOptions() };
    const answer = await api("/api/search", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request),
    });
    showQuery(answer);
    showResults(answer);
  });
}

function searchByImage(file) {
  state.repeat = () => searchByImage(file);
  return run(async () => {
    const form = new FormData();
    form.append("image", file);
    for (const [key, value] of Object.entries(searchOptions())) form.append(key, String(value));
    const answer = await api("/api/search/image", { method: "POST", body: form });
    showQuery(answer, file);
    showResults(answer);
  });
}

// ---- evaluation report ----
// A `shrewd eval --json` report (format "shrewd-eval-1", docs/evaluation.md) gets its headline
// figures, curves and per-class table; any other JSON is shown generically (numbers as a table,
// number series as charts).

const fmt = (v) => (typeof v !== "number" ? String(v) : Number.isInteger(v) ? String(v) : v.toFixed(4));

function metricsTable(rows, className = "metrics") {
  const table = element("table", className);
  for (const row of rows) {
    const tr = element("tr");
    row.forEach((cell, i) => tr.append(element("td", i ? "value" : "", fmt(cell))));
    table.append(tr);
  }
  return table;
}

function showEvaluation(loaded) {
  const box = $("eval");
  box.replaceChildren(element("p", "muted", `from ${loaded.source}`));
  const r = loaded.report;
  if (r && r.format === "shrewd-eval-1" && r.hamming) showShrewdEvaluation(r, box);
  else showGenericEvaluation(r, box);
}

function showShrewdEvaluation(r, box) {
  const o = r.options || {};
  const h = r.hamming;
  if (r.relevance) box.append(element("p", "muted", `relevance: ${r.relevance}`));
  const rows = [["queries / database", `${r.queries} / ${r.database}`], ["bits", r.bits]];
  for (const [ties, label] of [["index_ties", "ties by index"], ["tie_aware", "tie-aware"]]) {
    const m = h[ties];
    if (!m) continue;
    rows.push([`mAP@${o.map_at ?? "all"} (${label})`, m.map]);
    rows.push([`mAHP@${o.ahp_at ?? "all"} (${label})`, m.mahp]);
    for (const [k, p] of Object.entries(m.precision_at || {})) rows.push([`P@${k} (${label})`, p]);
  }
  if (h.radius) rows.push([`precision within radius ${h.radius.radius}`, h.radius.precision],
                          [`queries with an empty ball`, h.radius.empty_share]);
  // named as in the terminal table of `shrewd eval`: gap = cosine minus tie-aware
  if (r.continuous && r.continuous.gap_vs_tie_aware) {
    const signed = (v) => `${v >= 0 ? "+" : ""}${v.toFixed(4)}`;
    rows.push([`gap mAP@${o.map_at ?? "all"} (cosine − tie-aware)`, signed(r.continuous.gap_vs_tie_aware.map)]);
    rows.push([`gap mAHP@${o.ahp_at ?? "all"} (cosine − tie-aware)`, signed(r.continuous.gap_vs_tie_aware.mahp)]);
  }
  box.append(metricsTable(rows));
  if (Array.isArray(r.per_class) && r.per_class.length) {
    const details = element("details");
    details.append(element("summary", "", `per class (${r.per_class.length})`));
    details.append(metricsTable([["class", "mAP", "mAHP", "queries"]].concat(
      r.per_class.map((c) => [c.name || c.class, c.map_index_ties, c.mahp_index_ties, c.queries]))));
    box.append(details);
  }
  const charts = [];
  if (Array.isArray(h.pr_curve) && h.pr_curve.length > 1)
    charts.push({ title: "precision-recall over Hamming radius", x: "recall", y: "precision",
                  series: [{ label: "precision", points: h.pr_curve.map((p) => ({ x: p.recall, y: p.precision })) }] });
  const hp = ["index_ties", "tie_aware"].filter((t) => h[t] && Array.isArray(h[t].hp_curve))
    .map((t) => ({ label: t.replace("_", " "), points: h[t].hp_curve.map((y, i) => ({ x: i + 1, y })) }));
  if (hp.length) charts.push({ title: "hierarchical precision HP@k", x: "k", y: "HP@k", series: hp });
  if (Array.isArray(h.pr_curve) && h.pr_curve.length > 1)
    charts.push({ title: "precision and recall by radius", x: "radius", y: "",
                  series: ["precision", "recall"].map((key) => ({ label: key, points: h.pr_curve.map((p) => ({ x: p.radius, y: p[key] })) })) });
  drawCharts(charts);
}

function showGenericEvaluation(report, box) {
  const scalars = [];
  const series = [];
  (function walk(value, path) {
    if (typeof value === "number") scalars.push([path, value]);
    else if (Array.isArray(value) && value.length > 1 && value.every((v) => typeof v === "number")) series.push([path, value]);
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  })(report, "");
  box.append(metricsTable(scalars.slice(0, 40)));
  drawCharts(series.slice(0, 6).map(([path, values]) => ({
    title: path, x: "index", y: "", series: [{ label: path, points: values.map((y, i) => ({ x: i, y })) }],
  })));
}

function drawCharts(charts) {
  const area = $("charts");
  area.replaceChildren();
  state.charts.forEach((c) => c.destroy());
  state.charts = [];
  if (!charts.length) return;
  if (typeof Chart === "undefined") {
    area.append(element("p", "muted", "Charts unavailable: this build has no charting library."));
    return;
  }
  const palette = ["#2f6fdf", "#d9534f", "#3aa35b", "#e0a030"];
  for (const spec of charts) {
    const box = element("div", "chart");
    const canvas = document.createElement("canvas");
    box.append(canvas);
    area.append(box);
    state.charts.push(new Chart(canvas, {
      type: "scatter",
      data: {
        datasets: spec.series.map((s, i) => ({
          label: s.label, data: s.points, showLine: true, borderWidth: 2,
          borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length],
          pointRadius: s.points.length > 40 ? 0 : 2,
        })),
      },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { title: { display: true, text: spec.title }, legend: { display: spec.series.length > 1 } },
        scales: { x: { title: { display: true, text: spec.x } }, y: { title: { display: !!spec.y, text: spec.y } } },
      },
    }));
  }
}

// ---- hierarchy ----

function treeNode(node) {
  const item = element("li");
  const children = node.children || [];
  const text = node.display && node.display !== node.name ? `${node.display} (${node.name})` : node.name;
  const name = element("span", node.class !== undefined ? "leaf" : "", text);
  if (node.class !== undefined) name.dataset.class = node.class;
  item.append(name);
  if (children.length) {
    const list = element("ul");
    for (const child of children) list.append(treeNode(child));
    item.append(list);
  }
  return item;
}

function showHierarchy(h) {
  const box = $("hierarchy");
  if (!h.tree && !(h.classes && h.classes.length)) return;
  box.replaceChildren();
  if (h.source) box.append(element("p", "muted", `from ${h.source}; classes are marked in colour, the query's class highlighted`));
  else box.append(element("p", "muted", "Flat labels (no --hierarchy): classes are either the same or unrelated."));
  const tree = element("div", "tree");
  const list = element("ul");
  if (h.tree) list.append(treeNode(h.tree));
  else h.classes.forEach((name, label) => list.append(treeNode({ name: `${label}: ${name}`, class: label })));
  tree.append(list);
  box.append(tree);
  if (state.queryLabel !== null) highlightQueryClass(state.queryLabel);
}

function highlightQueryClass(label) {
  document.querySelectorAll(".tree .query-class").forEach((n) => n.classList.remove("query-class"));
  if (label === undefined || label === null) return;
  document.querySelectorAll(`.tree [data-class="${Number(label)}"]`).forEach((n) => n.classList.add("query-class"));
}

// ---- start ----

async function start() {
  try {
    await loadStats();
  } catch (error) {
    say(error.message);
    return;
  }
  api("/api/eval").then(showEvaluation).catch(() => {});
  api("/api/hierarchy").then(showHierarchy).catch(() => {});
}

$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.token = $("token-input").value.trim();
  sessionStorage.setItem("shrewd-token", state.token);
  $("token-panel").hidden = true;
  start();
});
$("random-query").addEventListener("click", () =>
  run(async () => {
    const item = await api("/api/items/random");
    await searchById(item.id);
  }));
$("id-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const id = $("id-input").value.trim();
  if (!/^\d+$/.test(id)) return say("Give an item id: a whole number from 0.");
  searchById(id);
});
$("upload-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const file = $("upload-input").files[0];
  if (!file) return say("Choose an image file first.");
  searchByImage(file);
});
for (const id of ["group-input", "distinct-input"])
  $(id).addEventListener("change", () => state.repeat && state.repeat());
$("mode-select").addEventListener("change", () => {
  $("amount-input").value = $("mode-select").value === "radius" ? 2 : 24;
});
start();
