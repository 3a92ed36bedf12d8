// Buttons with data-copy-text copy it to the clipboard; a delegated listener, since the CSP forbids inline handlers
// and static pages have no Blazor circuit to do it.
document.addEventListener('click', event => {
    const button = event.target instanceof Element ? event.target.closest('[data-copy-text]') : null;
    if (!button) return;
    navigator.clipboard.writeText(button.dataset.copyText).then(() => button.textContent = 'Copied');
});
