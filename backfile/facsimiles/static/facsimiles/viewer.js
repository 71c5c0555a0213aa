/* The page view's zoom: OpenSeadragon (served from the site's own static files) on the page
   image's IIIF tiles, with the search's hits boxed as on the plain image it replaces. Without
   JavaScript, or if the tiles cannot load, the plain image stays. */
"use strict";

(function () {
  const viewerElement = document.querySelector(".facsimile-viewer");
  if (!viewerElement || typeof OpenSeadragon !== "function") {
    return;
  }
  const frame = document.querySelector(".facsimile-frame");
  const controls = document.querySelector(".facsimile-controls");
  let hits = [];
  try {
    hits = JSON.parse(viewerElement.dataset.hits || "[]");
  } catch (error) {
    hits = [];
  }
  // OpenSeadragon puts an inline <style> in the page (a touch screen's focus outline) unless
  // it finds one marked as its own; the CSP refuses inline styles, so it is given a marker
  // that is no style sheet: an element named style outside HTML's and SVG's namespaces.
  if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
    const marker = document.createElementNS("http://www.w3.org/1998/Math/MathML", "style");
    marker.setAttribute("data-openseadragon-mobile-css", "true");
    document.head.appendChild(marker);
  }
  viewerElement.hidden = false;
  const viewer = OpenSeadragon({
    element: viewerElement,
    tileSources: viewerElement.dataset.info,
    showNavigationControl: false,
    visibilityRatio: 0.5,
    minZoomImageRatio: 0.5,
    maxZoomPixelRatio: 2,
    gestureSettingsMouse: { clickToZoom: false },
  });
  viewer.addHandler("open", function () {
    const image = viewer.world.getItemAt(0);
    hits.forEach(function (box, index) {
      const overlay = document.createElement("div");
      overlay.className = "facsimile-hit";
      overlay.dataset.hit = String(index + 1);
      viewer.addOverlay({
        element: overlay,
        location: image.imageToViewportRectangle(box[0], box[1], box[2], box[3]),
      });
    });
    if (frame) {
      frame.hidden = true;
    }
    if (controls) {
      controls.hidden = false;
    }
    viewerElement.classList.add("facsimile-viewer--open");
  });
  viewer.addHandler("open-failed", function () {
    viewerElement.hidden = true;
  });
  if (controls) {
    controls.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-zoom]");
      if (!button) {
        return;
      }
      const viewport = viewer.viewport;
      if (button.dataset.zoom === "in") {
        viewport.zoomBy(1.5);
      } else if (button.dataset.zoom === "out") {
        viewport.zoomBy(1 / 1.5);
      } else {
        viewport.goHome();
      }
      viewport.applyConstraints();
    });
  }
})();
