// The offline map: Natural Earth borders (world-atlas, vendored) as the basemap, no tile server.
(function () {
  var el = document.getElementById("map");
  var dataEl = document.getElementById("map-data");
  if (!el || !dataEl) return;
  var items = JSON.parse(dataEl.textContent);
  var map = L.map(el, { zoomControl: true, attributionControl: true }).setView([49, 34], 5);
  map.attributionControl.addAttribution("Borders: Natural Earth (world-atlas) · Places: GeoNames (CC BY 4.0)");
  fetch("/static/vendor/world-atlas/countries-50m.json").then(function (r) { return r.json(); }).then(function (topo) {
    var land = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(land, { style: { color: "#9a9a92", weight: 1, fillColor: "#f4f2ea", fillOpacity: 1 }, interactive: false })
      .addTo(map).bringToBack();
  });
  var colours = { corroborated: "#2e8540", single_source: "#6b7178", contested: "#c2410c" };
  var bounds = [];
  items.forEach(function (it) {
    if (it.lat == null || it.lon == null) return;
    var events = el.getAttribute("data-kind") === "events";
    var marker = L.circleMarker([it.lat, it.lon], {
      radius: events ? Math.min(22, 5 + 3 * Math.sqrt(it.n_sources || 1)) : 7,
      color: "#222", weight: 1, fillOpacity: 0.8,
      fillColor: events ? (colours[it.status] || "#6b7178") : "#1f6fb2",
      className: events ? "event-marker" : "place-marker"
    }).addTo(map);
    var label = events ? (it.n_events + (it.n_events === 1 ? " event" : " events") + " here; click for the largest: " +
                          it.type + ", " + it.n_claims + " claims" + (it.date ? ", " + it.date : "") + " · " + it.status)
                       : (it.name + (it.admin1 ? ", " + it.admin1 : ""));
    marker.bindTooltip(label);
    if (events) marker.on("click", function () { window.location.href = "/events/" + encodeURIComponent(it.event_id); });
    bounds.push([it.lat, it.lon]);
  });
  if (bounds.length === 1) map.setView(bounds[0], 8);
  else if (bounds.length > 1 && el.getAttribute("data-kind") !== "events") map.fitBounds(bounds, { padding: [30, 30] });
  window.claimledgerMap = map;
})();
