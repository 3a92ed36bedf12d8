// The theme is drawn on the server from cookies (see ThemePreference). Until the person chooses one, the page follows
// the system's preference: this keeps the cookie that reports it current and, when this page was drawn in the other
// theme (a first visit, or the system changed), loads it again in the right one.
(function () {
    const systemCookie = 'backside-system-theme';
    const choiceCookie = 'backside-theme';
    const year = 60 * 60 * 24 * 365;

    function cookie(name) {
        const found = document.cookie.split('; ').find(entry => entry.startsWith(name + '='));
        return found ? found.substring(name.length + 1) : null;
    }

    function write(name, value) {
        document.cookie = `${name}=${value}; path=/; max-age=${year}; samesite=lax`;
    }

    const root = document.documentElement;
    if (root.dataset.themeSource === 'system') {
        const system = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
        if (cookie(systemCookie) !== system)
            write(systemCookie, system);
        // Only when the cookie took (cookies may be off), and once per tab and theme, so it can never loop.
        const guard = 'backside-theme-reloaded-' + system;
        if (root.dataset.theme !== system && cookie(systemCookie) === system && !sessionStorage.getItem(guard)) {
            sessionStorage.setItem(guard, '1');
            location.replace(location.href); // a GET, even when this page answered a form
        }
    }

    // The interactive pages' toggle switches at once and calls this to remember the choice.
    window.backsideTheme = {
        choose(theme) {
            write(choiceCookie, theme);
            root.dataset.theme = theme;
            root.dataset.themeSource = 'chosen';
            root.style.colorScheme = theme;
        },
    };
})();
