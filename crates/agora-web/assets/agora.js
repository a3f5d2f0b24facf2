// "Autour de moi": with the person's consent, the browser's position fills the search's
// lat/lon. Without JavaScript the form works the same with a typed place.
(function () {
  "use strict";
  var box = document.querySelector("[data-agora-around-me]");
  if (!box || !("geolocation" in navigator)) return;
  var lat = document.querySelector("[data-agora-lat]");
  var lon = document.querySelector("[data-agora-lon]");
  var place = document.getElementById("lieu");
  var status = box.querySelector(".agora-around-me__status");
  var button = box.querySelector("button");
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "Recherche de votre position…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(4);
      lon.value = pos.coords.longitude.toFixed(4);
      lat.disabled = false;
      lon.disabled = false;
      if (place) { place.value = ""; }
      status.textContent = "Position trouvée : la recherche portera sur les environs.";
      button.form.submit();
    }, function () {
      status.textContent = "Votre position n'a pas pu être obtenue : indiquez une commune ou un code postal.";
    }, { timeout: 10000, maximumAge: 600000 });
  });
})();
