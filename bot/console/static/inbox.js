// The inbox's rows are replaced by polling (htmx) without a sound: a screen reader hears of new items only
// through the live region beside the table, which this fills with how many arrived since the last poll.
// The sentences are the template's (data-one, data-many), so the console's wording stays in its templates.
(function () {
  const rows = document.getElementById("inbox-rows");
  const news = document.getElementById("inbox-news");
  if (!rows || !news) return;
  const keys = () => Array.from(rows.querySelectorAll("tr[data-key]"), (row) => row.dataset.key);
  const seen = new Set(keys());
  rows.addEventListener("htmx:afterSwap", () => {
    const fresh = keys().filter((key) => !seen.has(key));
    fresh.forEach((key) => seen.add(key));
    if (fresh.length === 0) return;
    const sentence = (fresh.length === 1 ? news.dataset.one : news.dataset.many).replace("{n}", fresh.length);
    // Emptied first: the same sentence twice in a row (one new item, then another) is announced both times.
    news.textContent = "";
    setTimeout(() => { news.textContent = sentence; }, 100);
  });
})();
