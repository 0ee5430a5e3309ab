// gridbot's web app: one page, three tabs. Every word on it comes from the server's labels
// (bot/texts.py); every value is put in with textContent, never as markup.
"use strict";

const state = { me: null, L: {}, filter: {}, page: 1, chart: null, tab: "overview" };
const $ = (id) => document.getElementById(id);

// Inside Telegram the page is opened with #tgWebAppData=<initData> (Telegram's own script,
// if present, has it as Telegram.WebApp.initData); in a browser the session cookie speaks.
function initData() {
  const tg = window.Telegram && window.Telegram.WebApp;
  if (tg && tg.initData) return tg.initData;
  const hash = new URLSearchParams(location.hash.slice(1));
  return hash.get("tgWebAppData") || "";
}

const auth = initData();

async function call(path) {
  const headers = auth ? { Authorization: "tma " + auth } : {};
  const response = await fetch(path, { headers, credentials: "same-origin" });
  if (!response.ok) {
    const failure = new Error(String(response.status));
    failure.status = response.status;
    throw failure;
  }
  return response;
}

const json = async (path) => (await call(path)).json();

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function rate(value) {
  return value === null || value === undefined ? state.L.none : value + "%";
}

function day(iso) {
  const d = new Date(iso);
  return fill(state.L.date, { m: d.getMonth() + 1, d: d.getDate() });
}

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const hm = String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  return day(iso) + " " + hm;
}

function query(filter) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  return params.toString();
}

function say(text) {
  $("status").textContent = text || "";
}

// -- tabs -------------------------------------------------------------------------------
function show(tab) {
  state.tab = tab;
  for (const id of ["overview", "issues", "timeline", "downloads"]) $(id).hidden = id !== tab;
  for (const button of document.querySelectorAll("nav button")) {
    button.classList.toggle("on", button.dataset.tab === tab || (tab === "timeline" && button.dataset.tab === "issues"));
  }
  if (tab === "downloads") describeFilter();
}

function openIssues(filter) {
  state.filter = { ...filter };
  state.page = 1;
  formFromFilter();
  show("issues");
  loadIssues();
}

// -- overview ---------------------------------------------------------------------------
function card(label, big, small, filter) {
  const link = el("a", null, "card");
  link.href = "#";
  link.append(el("div", label, "small"), el("div", big, "big"));
  if (small) link.append(el("div", small, "small"));
  link.addEventListener("click", (event) => { event.preventDefault(); openIssues(filter); });
  return link;
}

function drawCards(data) {
  const r = data.rates, days = String(data.days), cards = $("cards");
  cards.replaceChildren(
    card(state.L.total, String(r.total), "", { days }),
    card(state.L.respond, rate(r.respond), r.due ? r.responded + "/" + r.due : "", { days }),
    card(state.L.solve, rate(r.solve), r.total ? r.solved + "/" + r.total : "", { days }),
    card(state.L.satisfy, rate(r.satisfy), r.rated ? r.satisfied + "/" + r.rated : "", { days, status: "closed" }),
    card(state.L.overdue, String(data.overdue.total), "", { overdue: "1" }),
  );
}

function drawTrend(weeks) {
  if (!window.Chart) return;
  const labels = weeks.map((w) => day(w.start));
  const series = [["respond", "#2563eb"], ["solve", "#16a34a"], ["satisfy", "#f59e0b"]];
  const datasets = series.map(([key, color]) => ({
    label: state.L[key], data: weeks.map((w) => w[key]), borderColor: color,
    backgroundColor: color, spanGaps: true, tension: 0.2,
  }));
  if (state.chart) state.chart.destroy();
  state.chart = new window.Chart($("trend"), {
    type: "line", data: { labels, datasets },
    options: { maintainAspectRatio: false, animation: false,
               scales: { y: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } } } },
  });
}

function areaRow(area, body) {
  const row = el("tr", null, area.level);
  const name = el("td");
  const link = el("a", area.name);
  link.href = "#";
  link.dataset.level = area.level;
  link.addEventListener("click", (event) => { event.preventDefault(); openIssues(area.link); });
  name.append(link);
  row.append(name);
  for (const key of ["respond", "solve", "satisfy"]) row.append(el("td", rate(area.rates[key])));
  const late = el("td");
  const lateLink = el("a", String(area.rates.overdue));
  lateLink.href = "#";
  lateLink.addEventListener("click", (event) => {
    event.preventDefault();
    const { days, ...where } = area.link;
    openIssues({ ...where, overdue: "1" });
  });
  late.append(lateLink);
  row.append(late);
  body.append(row);
  for (const child of area.children) areaRow(child, body);
}

function drawAreas(streets) {
  const head = el("tr");
  for (const key of ["area", "respond", "solve", "satisfy", "overdue"]) head.append(el("th", state.L[key]));
  $("areas").tHead.replaceChildren(head);
  const body = $("areas").tBodies[0];
  body.replaceChildren();
  for (const street of streets) areaRow(street, body);
}

function issueRow(issue) {
  const row = el("li");
  row.dataset.n = issue.n;
  const top = el("div");
  top.append(el("strong", "#" + issue.n + " "), el("span", issue.category, "tag"),
             el("span", issue.status_label, "tag"));
  if (issue.urgent) top.append(el("span", state.L.urgent, "tag bad"));
  if (issue.overdue) top.append(el("span", state.L.overdue, "tag bad"));
  row.append(top, el("div", issue.text),
             el("div", [issue.grid, when(issue.created_at), issue.assignee].filter(Boolean).join(" · "), "meta"));
  row.addEventListener("click", () => openTimeline(issue.n));
  return row;
}

function list(id, items, line) {
  const node = $(id);
  node.replaceChildren(...(items.length ? items.map((x) => el("li", line(x))) : [el("li", state.L.nothing)]));
}

async function loadOverview() {
  say(state.L.loading);
  const data = await json("/api/overview?days=" + $("days").value);
  say("");
  drawCards(data);
  drawTrend(data.trend);
  drawAreas(data.streets);
  $("overdue-head").textContent = fill(state.L.overdue_head, { count: data.overdue.total });
  $("overdue").replaceChildren(...data.overdue.rows.map(issueRow));
  list("unreachable", data.unreachable, (m) => m.name + "：" + m.grids.join("、"));
  list("unbound", data.unbound, (g) => g.code + " " + g.name);
  list("meetings", data.meetings, (m) => when(m.starts_at) + " " + m.grid + " " + m.title +
       (m.online ? "（" + state.L.online + "）" : m.place ? "（" + m.place + "）" : ""));
}

// -- issues -----------------------------------------------------------------------------
function options(select, items, all) {
  select.replaceChildren(...[["", all], ...items].map(([value, text]) => {
    const option = el("option", text);
    option.value = value;
    return option;
  }));
}

function formFromFilter() {
  const f = state.filter;
  for (const key of ["grid", "category", "status", "days", "q"]) $("f-" + key).value = f[key] || "";
  $("f-overdue").checked = f.overdue === "1";
  $("f-urgent").checked = f.urgent === "1";
}

function filterFromForm() {
  const f = {};
  for (const key of ["grid", "category", "status", "days", "q"]) f[key] = $("f-" + key).value.trim();
  if ($("f-overdue").checked) f.overdue = "1";
  if ($("f-urgent").checked) f.urgent = "1";
  // An area chosen on the overview stays until the grid is changed or the filter reset.
  if (!f.grid) { f.street = state.filter.street; f.community = state.filter.community; }
  return f;
}

async function loadIssues() {
  say(state.L.loading);
  const data = await json("/api/issues?" + query({ ...state.filter, page: state.page }));
  say("");
  $("count").textContent = fill(state.L.count, { count: data.total });
  const rows = data.rows.map(issueRow);
  $("list").replaceChildren(...(rows.length ? rows : [el("li", state.L.no_issues, "muted")]));
  $("prev").disabled = state.page <= 1;
  $("next").disabled = state.page * data.page_size >= data.total;
}

async function openTimeline(n) {
  say(state.L.loading);
  const t = await json("/api/issues/" + n);
  say("");
  $("t-head").textContent = "#" + t.n + " " + t.category + " · " + t.status_label;
  $("t-text").textContent = t.text;
  const facts = [["filter_grid", t.grid + " " + (t.grid_name || "")], ["assignee", t.assignee],
                 ["created", when(t.created_at)], ["solve_by", when(t.solve_by)],
                 ["plan", t.plan_date], ["department", t.department], ["rating", t.rating],
                 ["supporters", String(t.supporters)]];
  $("t-facts").replaceChildren(...facts.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", state.L[k]), el("dd", v)]));
  $("t-events").replaceChildren(...t.events.map((e) => {
    const step = el("li");
    const change = e.to && e.to !== e.from ? "（" + (e.from ? e.from + " → " : "") + e.to + "）" : "";
    step.append(el("div", when(e.at) + " " + e.actor + " " + e.action + change, "meta"));
    if (e.note) step.append(el("div", e.note));
    return step;
  }));
  show("timeline");
}

// -- downloads --------------------------------------------------------------------------
function describeFilter() {
  $("d-filter").textContent = query(state.filter) || state.L.filter_all;
}

async function download(path, name) {
  const blob = await (await call(path + "?" + query(state.filter))).blob();
  const link = el("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

// -- start ------------------------------------------------------------------------------
function label() {
  const L = state.L;
  document.title = L.title;
  $("title").textContent = L.title;
  for (const tab of ["overview", "issues", "downloads"]) $("tab-" + tab).textContent = L["tab_" + tab];
  const heads = { "trend-head": "trend", "areas-head": "areas", "unreachable-head": "unreachable_head",
                  "unbound-head": "unbound_head", "meetings-head": "meetings_head",
                  "overdue-all": "overdue_all", "l-overdue": "filter_overdue", "l-urgent": "filter_urgent",
                  "f-apply": "apply", "f-reset": "reset", prev: "prev", next: "next", back: "back",
                  "t-steps-head": "timeline", "d-intro": "downloads_intro", "d-ledger": "download_ledger",
                  "d-sqmy": "download_sqmy" };
  for (const [id, key] of Object.entries(heads)) $(id).textContent = L[key];
  $("f-q").placeholder = L.filter_search;
  options($("days"), [["7", L.days_7], ["28", L.days_28], ["91", L.days_91]].map((x) => x), L.days_28);
  $("days").firstChild.remove();
  $("days").value = "28";
  const me = state.me;
  options($("f-grid"), me.grids.map((g) => [g.code, g.code + " " + g.name]), L.filter_grid + "：" + L.filter_all);
  options($("f-category"), me.categories.map((c) => [c.name, c.label]), L.filter_category + "：" + L.filter_all);
  options($("f-status"), [["open", L.status_open], ["closed", L.status_closed],
                          ...me.statuses.map((s) => [s.key, s.label])], L.filter_status + "：" + L.filter_all);
  options($("f-days"), [["7", L.days_7], ["28", L.days_28], ["91", L.days_91]], L.filter_period + "：" + L.filter_all);
}

function wire() {
  for (const button of document.querySelectorAll("nav button")) {
    button.addEventListener("click", () => {
      show(button.dataset.tab);
      if (button.dataset.tab === "issues") loadIssues().catch(fail);
    });
  }
  $("days").addEventListener("change", () => loadOverview().catch(fail));
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    state.filter = filterFromForm();
    state.page = 1;
    loadIssues().catch(fail);
  });
  $("f-reset").addEventListener("click", () => openIssues({}));
  $("prev").addEventListener("click", () => { state.page -= 1; loadIssues().catch(fail); });
  $("next").addEventListener("click", () => { state.page += 1; loadIssues().catch(fail); });
  $("back").addEventListener("click", () => show("issues"));
  $("overdue-all").addEventListener("click", (event) => { event.preventDefault(); openIssues({ overdue: "1" }); });
  $("d-ledger").addEventListener("click", () => download("/api/download/ledger.xlsx", "ledger.xlsx").catch(fail));
  $("d-sqmy").addEventListener("click", () => download("/api/download/sqmy.docx", "sqmy.docx").catch(fail));
}

function fail(error) {
  say(error && error.status === 401 ? state.L.refused : state.L.error);
}

async function start() {
  const traditional = /^zh-(hant|tw|hk|mo)/i.test(navigator.language || "");
  state.L = await json("/api/labels?lang=" + (traditional ? "zh-Hant" : "zh-Hans"));
  $("title").textContent = state.L.title;
  say(state.L.loading);
  try {
    state.me = await json("/api/me");
  } catch (error) {
    document.body.dataset.state = "refused";
    fail(error);
    return;
  }
  state.L = state.me.labels;
  label();
  $("who").textContent = [state.me.name, state.me.role_label,
                          state.me.role === "resident" ? "" : fill(state.L.grids, { count: state.me.grids.length })]
                          .filter(Boolean).join(" · ");
  $("tabs").hidden = false;
  wire();
  if (window.Telegram && window.Telegram.WebApp) window.Telegram.WebApp.ready();
  if (state.me.role === "resident") {
    $("tab-overview").hidden = true;
    $("d-sqmy").hidden = true;
    openIssues({});
  } else {
    show("overview");
    await loadOverview();
  }
  document.body.dataset.state = "ready";
}

document.addEventListener("DOMContentLoaded", () => start().catch(fail));
