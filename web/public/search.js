// Suggestions for the header search box while typing: GET /api/search/suggest fills the datalist.
const input = document.getElementById("site-search");
const list = document.getElementById("site-search-suggestions");
let timer;
let controller;
input?.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const q = input.value.trim();
    controller?.abort();
    if (q.length < 2) return list.replaceChildren();
    controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(), 2000);
    try {
      const res = await fetch(`/api/search/suggest?q=${encodeURIComponent(q)}`, { signal: controller.signal });
      if (!res.ok) return;
      const { items } = await res.json();
      list.replaceChildren(...items.map((item) => Object.assign(document.createElement("option"), { value: item.text })));
    } catch {
      // A slow or failed suggestion leaves the box as it was.
    } finally {
      clearTimeout(deadline);
    }
  }, 120);
});
