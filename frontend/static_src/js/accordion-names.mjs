// GOV.UK Frontend's accordion gives each section button an aria-label of
// "Heading , Show this section". The visible text is "Heading Show", which the label
// does not contain word for word (the comma sits between), so speech-recognition
// users who say what they see may not match it (WCAG 2.5.3 Label in Name). The
// button's own content already reads "Heading, Show" (the comma visually hidden; the
// expanded state is announced from aria-expanded), so the label is removed and kept
// removed when the accordion updates it on opening and closing.

/**
 * @param {ParentNode} scope - Where to look for accordions
 */
export function useVisibleAccordionNames (scope = document) {
  const buttons = scope.querySelectorAll('.govuk-accordion__section-button[aria-label]')
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      const target = /** @type {Element} */ (mutation.target)
      if (target.hasAttribute('aria-label')) {
        target.removeAttribute('aria-label')
      }
    }
  })
  buttons.forEach((button) => {
    button.removeAttribute('aria-label')
    observer.observe(button, { attributes: true, attributeFilter: ['aria-label'] })
  })
}
