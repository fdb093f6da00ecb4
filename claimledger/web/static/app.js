// Sizes the timeline bars from their data-h attributes (no inline styles: the CSP forbids them).
document.querySelectorAll(".timeline .seg").forEach(function (seg) {
  seg.style.height = seg.getAttribute("data-h") + "%";
});
