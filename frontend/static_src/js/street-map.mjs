// The map pin for "Report a street problem": a progressive enhancement.
//
// Loaded only on the location step, after Leaflet (static/frontend/vendor/leaflet/,
// served from this site). Without JavaScript the map container stays hidden and
// the street list, postcode and landmark fields do the job. With it, clicking or
// tapping the map, dragging the pin, or moving the focused pin with the arrow keys
// fills the hidden latitude and longitude fields; the server checks them.

const STEP_PIXELS = 10
const BIG_STEP_PIXELS = 50
const KEYS = {
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0]
}

/**
 * @param {HTMLElement} container - The `[data-map]` element of the location step
 */
function initStreetMap (container) {
  const L = window.L
  const latField = document.getElementById(container.dataset.latitudeField)
  const lngField = document.getElementById(container.dataset.longitudeField)
  const canvas = container.querySelector('.council-map__canvas')
  if (!L || !latField || !lngField || !canvas) {
    return
  }
  const [south, west, north, east] = container.dataset.bounds.split(',').map(Number)
  const bounds = L.latLngBounds([south, west], [north, east])
  const status = container.querySelector('[data-map-status]')
  const clear = container.querySelector('[data-map-clear]')
  const hint = container.querySelector('.govuk-hint')

  container.hidden = false
  const map = L.map(canvas, { maxBounds: bounds.pad(0.05), minZoom: 11 })
  L.tileLayer(container.dataset.tileUrl, {
    attribution: container.dataset.attribution,
    maxZoom: 19
  }).addTo(map)

  const hasPin = latField.value !== '' && lngField.value !== ''
  const centre = container.dataset.centre
    ? container.dataset.centre.split(',').map(Number)
    : bounds.getCenter()
  const start = hasPin ? [Number(latField.value), Number(lngField.value)] : centre
  map.setView(start, hasPin ? 17 : 15)

  const marker = L.marker(start, {
    draggable: true,
    keyboard: true,
    alt: 'Problem location pin',
    title: 'Problem location pin: use the arrow keys to move it'
  }).addTo(map)
  const pin = marker.getElement()
  if (pin && hint) {
    pin.setAttribute('aria-describedby', hint.id)
  }

  function describe (set) {
    if (!set) {
      status.textContent = 'No pin set yet.'
      clear.hidden = true
      return
    }
    status.textContent = `Pin set at ${latField.value}, ${lngField.value}.`
    clear.hidden = false
  }

  function place (latlng) {
    const clamped = L.latLng(
      Math.min(Math.max(latlng.lat, south), north),
      Math.min(Math.max(latlng.lng, west), east)
    )
    marker.setLatLng(clamped)
    latField.value = clamped.lat.toFixed(6)
    lngField.value = clamped.lng.toFixed(6)
    describe(true)
  }

  map.on('click', (event) => place(event.latlng))
  marker.on('dragend', () => place(marker.getLatLng()))
  if (pin) {
    pin.addEventListener('keydown', (event) => {
      const direction = KEYS[event.key]
      if (!direction) {
        return
      }
      event.preventDefault()
      event.stopPropagation()
      const step = event.shiftKey ? BIG_STEP_PIXELS : STEP_PIXELS
      const point = map.latLngToContainerPoint(marker.getLatLng())
        .add([direction[0] * step, direction[1] * step])
      place(map.containerPointToLatLng(point))
      map.panInside(marker.getLatLng(), { padding: [40, 40] })
    })
  }
  clear.addEventListener('click', () => {
    latField.value = ''
    lngField.value = ''
    marker.setLatLng(centre)
    map.setView(centre, 15)
    describe(false)
  })
  describe(hasPin)
}

function init () {
  document.querySelectorAll('[data-map]').forEach(initStreetMap)
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init)
} else {
  init()
}
