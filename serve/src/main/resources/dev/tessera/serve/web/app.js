// The Tessera search page: talks to the JSON API of the server that served it (no network, no build).
"use strict";

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get("token");
// bookkeeping keys of tessera index, not worth a line on a card
const HIDDEN = new Set(["path", "manifest", "size", "mtime", "modality", "root", "stamp"]);

function withToken(url) {
  if (!token) return url;
  return url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token);
}

function options() {
  const p = new URLSearchParams();
  p.set("k", $("k").value || "24");
  p.set("only", document.querySelector("input[name=only]:checked").value);
  const where = $("where").value.trim();
  if (where) p.set("where", where);
  return p;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

async function call(url, init) {
  const res = await fetch(withToken(url), init);
  let doc;
  try {
    doc = await res.json();
  } catch (e) {
    throw new Error("The server answered " + res.status + " without JSON.");
  }
  if (!res.ok) throw new Error(doc.error || "The server answered " + res.status + ".");
  return doc;
}

async function loadInfo() {
  try {
    const i = await call("/api/info");
    $("info").textContent = i.name + " · " + i.model + " · " + i.records + " records (" +
      i.images + " images, " + i.texts + " texts) · store " + i.store + " · " + i.generation;
    if (i.problem) showError(i.problem);
  } catch (e) {
    showError(e.message);
  }
}

async function search(url, init, label) {
  clearError();
  $("status").textContent = "Searching " + label + "…";
  try {
    const doc = await call(url, init);
    render(doc.hits);
    $("status").textContent = doc.hits.length + " hits for " + label + " (ranking: " + doc.ranking + ")";
  } catch (e) {
    $("results").replaceChildren();
    $("status").textContent = "";
    showError(e.message);
  }
}

function metaList(hit) {
  const dl = document.createElement("dl");
  const add = (k, v) => {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    dl.append(dt, dd);
  };
  for (const [k, v] of Object.entries(hit.metadata || {})) {
    if (HIDDEN.has(k)) continue;
    add(k, String(v));
  }
  if (hit.path) add("file", hit.path.split("/").pop());
  return dl;
}

function render(hits) {
  const cards = hits.map((h) => {
    const card = document.createElement("div");
    card.className = "hit " + h.modality;
    card.dataset.id = h.id;
    const score = document.createElement("div");
    score.className = "score";
    score.textContent = "#" + h.rank + "  score " + h.score.toFixed(3) +
      (h.rankScore !== h.score ? "  rank " + h.rankScore.toFixed(2) : "");
    const id = document.createElement("div");
    id.className = "id";
    id.textContent = h.id;
    if (h.thumbnail) {
      const img = document.createElement("img");
      img.src = withToken(h.thumbnail);
      img.alt = h.id;
      img.title = "More like this";
      img.loading = "lazy";
      img.addEventListener("click", () => search("/api/search?like=" + encodeURIComponent(h.id) +
        "&" + options(), undefined, "pictures like " + h.id));
      const meta = document.createElement("div");
      meta.className = "meta";
      meta.append(score, id, metaList(h));
      card.append(img, meta);
    } else {
      const caption = document.createElement("div");
      caption.className = "caption";
      caption.textContent = h.text || "(no text)";
      card.append(caption, score, id, metaList(h));
    }
    return card;
  });
  $("results").replaceChildren(...cards);
}

function searchText() {
  const text = $("text").value.trim();
  if (!text) {
    showError("Type what to look for, or drop a picture.");
    return;
  }
  const p = options();
  p.set("text", text);
  search("/api/search?" + p, undefined, "\"" + text + "\"");
}

function searchFile(file) {
  if (!file) return;
  search("/api/search?" + options(), { method: "POST", body: file,
    headers: { "Content-Type": file.type || "application/octet-stream" } }, "the picture " + file.name);
}

document.addEventListener("DOMContentLoaded", () => {
  $("search").addEventListener("submit", (e) => { e.preventDefault(); searchText(); });
  $("file").addEventListener("change", (e) => searchFile(e.target.files[0]));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    searchFile(e.dataTransfer.files[0]);
  });
  loadInfo();
});
