// Keyboard shortcuts of a moderation item, outside text fields: n = next item, a / m / r =
// approve / request changes / reject (the cursor then goes to the reason).
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var choice = { a: "approve", m: "request_changes", r: "reject" }[e.key];
    if (e.key === "n") {
      var next = document.querySelector("[data-next]");
      if (next) { next.click(); }
      return;
    }
    if (!choice) return;
    var radio = document.querySelector('input[name="decision"][value="' + choice + '"]');
    if (!radio) return;
    e.preventDefault();
    radio.checked = true;
    var reason = document.querySelector('textarea[name="reason"]');
    (choice === "approve" ? radio : (reason || radio)).focus();
  });
})();
