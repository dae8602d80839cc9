// Forms with a live preview (the reminder policy, a medication plan) are checked by the server as staff type.
// A message the last refused save put next to a field stays in the page until the next save, so once the
// preview finds that field right (it lists them in data-fine) the message and the field's invalid mark go:
// staff and screen readers are no longer told to fix what they already fixed.
document.addEventListener("htmx:afterSwap", (event) => {
  const checked = event.detail.target.querySelector("[data-fine]");
  const form = event.detail.requestConfig && event.detail.requestConfig.elt.closest("form");
  if (!checked || !form) return;
  for (const name of checked.dataset.fine.split(" ").filter(Boolean)) {
    const message = form.querySelector(`#${CSS.escape(name)}-error`);
    if (!message) continue;
    message.remove();
    for (const field of form.querySelectorAll(`[aria-describedby="${message.id}"]`)) {
      field.removeAttribute("aria-invalid");
      const hint = form.querySelector(`#${CSS.escape(name)}-hint`);
      if (hint) field.setAttribute("aria-describedby", hint.id);
      else field.removeAttribute("aria-describedby");
    }
  }
});
