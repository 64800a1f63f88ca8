// Council front end JavaScript. Everything works without it: this only
// adds GOV.UK Frontend's enhancements and hides dismissed alerts at once.
import { initAll } from 'govuk-frontend'

import { useVisibleAccordionNames } from './accordion-names.mjs'
import { initSearchSuggestions } from './search-suggestions.mjs'

const COOKIE_NAME = 'dismissed_alerts'
const COOKIE_MAX_AGE = 60 * 60 * 24 * 30 // 30 days, in seconds
const SAFE_ID = /^[A-Za-z0-9_-]+$/

/**
 * Alert ids already dismissed, read from the `dismissed_alerts` cookie.
 * Copes with the value being quoted by a server (`"1\0542"`).
 *
 * @returns {string[]} Alert ids
 */
function getDismissedIds () {
  const match = document.cookie.match(/(?:^|;\s*)dismissed_alerts=([^;]*)/)
  if (!match) {
    return []
  }
  const value = match[1]
    .replace(/^"|"$/g, '')
    .replace(/\\054/g, ',')
  return value.split(',').filter((id) => SAFE_ID.test(id))
}

/**
 * Add an alert id to the `dismissed_alerts` cookie.
 *
 * @param {string} id - Alert id
 */
function rememberDismissed (id) {
  const ids = getDismissedIds()
  if (ids.indexOf(id) === -1) {
    ids.push(id)
  }
  const secure = window.location.protocol === 'https:' ? '; Secure' : ''
  document.cookie = `${COOKIE_NAME}=${ids.join(',')}; path=/; max-age=${COOKIE_MAX_AGE}; SameSite=Lax${secure}`
}

/**
 * Hide alerts dismissed earlier (a cached page may still contain them) and
 * dismiss alerts without reloading the page.
 */
function initAlerts () {
  const dismissed = getDismissedIds()

  document.querySelectorAll('.council-alert[data-alert-id]').forEach((alert) => {
    if (dismissed.indexOf(alert.getAttribute('data-alert-id')) !== -1) {
      alert.hidden = true
    }
  })

  document.querySelectorAll('form.council-alert__dismiss[data-alert-id]').forEach((form) => {
    const id = form.getAttribute('data-alert-id')
    if (!id || !SAFE_ID.test(id)) {
      return
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      rememberDismissed(id)
      const alert = form.closest('.council-alert')
      if (alert) {
        alert.hidden = true
      }
    })
  })
}

function init () {
  if (document.body.classList.contains('govuk-frontend-supported')) {
    initAll()
    useVisibleAccordionNames()
  }
  initAlerts()
  initSearchSuggestions()
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', init)
} else {
  init()
}
