// Search suggestions for the search boxes (progressive enhancement: without
// JavaScript, or if the request fails, the box is an ordinary search form).
//
// Follows the ARIA 1.2 combobox pattern: the input owns a listbox of options,
// arrow keys move through them (aria-activedescendant), Enter opens the chosen
// page, Escape closes the list, and a polite live region says how many
// suggestions there are. Styles are set through the CSSOM (allowed by the
// Content Security Policy, unlike inline style attributes).

const MIN_CHARS = 2
const DELAY_MS = 200
let counter = 0

/**
 * @param {HTMLElement} element
 * @param {Object<string, string>} styles
 */
function setStyles (element, styles) {
  Object.keys(styles).forEach((name) => { element.style[name] = styles[name] })
}

/**
 * Add suggestions to one search input.
 *
 * @param {HTMLInputElement} input - The search box
 */
function enhance (input) {
  const url = input.getAttribute('data-suggest-url')
  const form = input.form
  if (!url || !form || !window.fetch) {
    return
  }
  counter += 1
  const listId = `search-suggestions-${counter}`
  const list = document.createElement('ul')
  list.id = listId
  list.setAttribute('role', 'listbox')
  list.setAttribute('aria-label', 'Suggested pages')
  list.className = 'govuk-list council-search-suggestions'
  list.hidden = true
  setStyles(list, {
    position: 'absolute',
    top: '100%',
    left: '0',
    right: '0',
    zIndex: '1000',
    margin: '0',
    padding: '0',
    background: '#ffffff',
    color: '#0b0c0c',
    border: '2px solid #0b0c0c',
    borderTop: '0',
    textAlign: 'left'
  })
  const status = document.createElement('div')
  status.className = 'govuk-visually-hidden'
  status.setAttribute('aria-live', 'polite')
  status.setAttribute('role', 'status')
  const container = input.parentElement
  if (window.getComputedStyle(container).position === 'static') {
    container.style.position = 'relative'
  }
  container.appendChild(list)
  container.appendChild(status)

  // HTML allows the combobox role on a text input but not on type=search.
  input.type = 'text'
  input.setAttribute('role', 'combobox')
  input.setAttribute('aria-autocomplete', 'list')
  input.setAttribute('aria-expanded', 'false')
  input.setAttribute('aria-controls', listId)
  input.setAttribute('autocomplete', 'off')

  let items = []
  let active = -1
  let timer = null
  let controller = null

  function close () {
    list.hidden = true
    input.setAttribute('aria-expanded', 'false')
    input.removeAttribute('aria-activedescendant')
    active = -1
  }

  function highlight (index) {
    const options = list.querySelectorAll('[role="option"]')
    options.forEach((option, i) => {
      const selected = i === index
      option.setAttribute('aria-selected', selected ? 'true' : 'false')
      setStyles(option, {
        background: selected ? '#1d70b8' : '#ffffff',
        color: selected ? '#ffffff' : '#0b0c0c'
      })
    })
    active = index
    if (index >= 0 && options[index]) {
      input.setAttribute('aria-activedescendant', options[index].id)
    } else {
      input.removeAttribute('aria-activedescendant')
    }
  }

  function render (suggestions) {
    items = suggestions
    list.textContent = ''
    suggestions.forEach((suggestion, i) => {
      const option = document.createElement('li')
      option.id = `${listId}-option-${i}`
      option.setAttribute('role', 'option')
      option.setAttribute('aria-selected', 'false')
      option.className = 'govuk-body-s'
      setStyles(option, { margin: '0', padding: '8px', cursor: 'pointer', borderTop: '1px solid #b1b4b6' })
      option.textContent = suggestion.title
      if (suggestion.section) {
        const section = document.createElement('span')
        section.className = 'govuk-visually-hidden'
        section.textContent = ` (${suggestion.section})`
        option.appendChild(section)
      }
      option.addEventListener('mousedown', (event) => {
        event.preventDefault()
        window.location.assign(suggestion.url)
      })
      list.appendChild(option)
    })
    if (suggestions.length) {
      list.hidden = false
      input.setAttribute('aria-expanded', 'true')
      status.textContent = `${suggestions.length} suggestion${suggestions.length === 1 ? '' : 's'} available. Use up and down arrows to choose.`
    } else {
      close()
      status.textContent = ''
    }
    highlight(-1)
  }

  function fetchSuggestions () {
    const text = input.value.trim()
    if (text.length < MIN_CHARS) {
      render([])
      return
    }
    if (controller) {
      controller.abort()
    }
    controller = window.AbortController ? new window.AbortController() : null
    const address = `${url}?q=${encodeURIComponent(text)}`
    window.fetch(address, {
      headers: { Accept: 'application/json' },
      credentials: 'omit',
      signal: controller ? controller.signal : undefined
    })
      .then((response) => (response.ok ? response.json() : { suggestions: [] }))
      .then((data) => {
        if (input.value.trim() === text) {
          render(Array.isArray(data.suggestions) ? data.suggestions : [])
        }
      })
      .catch(() => {})
  }

  input.addEventListener('input', () => {
    window.clearTimeout(timer)
    timer = window.setTimeout(fetchSuggestions, DELAY_MS)
  })

  input.addEventListener('keydown', (event) => {
    if (list.hidden) {
      return
    }
    if (event.key === 'ArrowDown') {
      event.preventDefault()
      highlight(Math.min(active + 1, items.length - 1))
    } else if (event.key === 'ArrowUp') {
      event.preventDefault()
      highlight(Math.max(active - 1, -1))
    } else if (event.key === 'Escape') {
      // Closes the list; a second Escape clears the box as usual.
      event.preventDefault()
      close()
    } else if (event.key === 'Enter' && active >= 0 && items[active]) {
      event.preventDefault()
      window.location.assign(items[active].url)
    }
  })

  input.addEventListener('blur', () => {
    window.setTimeout(close, 150)
  })
}

/**
 * Enhance every search box that asks for suggestions.
 */
export function initSearchSuggestions () {
  document.querySelectorAll('input[data-suggest-url]').forEach(enhance)
}
