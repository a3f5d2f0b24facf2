// Commune suggestions while typing a list of communes ("Besançon 25000, Dole 39100"): the
// part after the last comma is looked up and offered in the field's list. Without
// JavaScript the field takes the same words and the server finds the communes.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-communes]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) return;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var value = input.value;
        var cut = value.lastIndexOf(",");
        var before = cut >= 0 ? value.slice(0, cut + 1) + " " : "";
        var typed = value.slice(cut + 1).trim();
        if (typed.length < 2) return;
        fetch("/api/v1/geo/communes?limit=8&q=" + encodeURIComponent(typed), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (communes) {
            list.textContent = "";
            communes.forEach(function (c) {
              var option = document.createElement("option");
              option.value = before + c.name + " " + (c.postcodes[0] || "");
              list.appendChild(option);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 200);
    });
  });
})();
