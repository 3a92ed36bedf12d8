// The menu button of a static page (the account pages have no circuit to run the drawer): opens and closes the
// navigation drawer by MudBlazor's own classes, and a click beside it or Escape closes it.
document.addEventListener('click', event => {
    const toggle = event.target.closest('[data-static-drawer-toggle]');
    const drawer = document.getElementById('navigation');
    if (!drawer) return;
    if (toggle) {
        setOpen(drawer, !drawer.classList.contains('static-drawer-open'));
    } else if (drawer.classList.contains('static-drawer-open') && !drawer.contains(event.target)
        && matchMedia('(max-width: 959.98px)').matches) {
        setOpen(drawer, false); // a click beside the drawer over the page closes it
    }
});

document.addEventListener('keydown', event => {
    const drawer = document.getElementById('navigation');
    if (event.key === 'Escape' && drawer?.classList.contains('static-drawer-open')) setOpen(drawer, false);
});

function setOpen(drawer, open) {
    drawer.classList.toggle('static-drawer-open', open);
    drawer.classList.toggle('static-drawer-closed', !open);
    document.querySelector('[data-static-drawer-toggle]')?.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) drawer.querySelector('a, button')?.focus();
}
