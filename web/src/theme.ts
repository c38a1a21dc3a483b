import { Anchor, createTheme, Notification } from '@mantine/core';

// Mantine's defaults, with a primary shade dark enough for 4.5:1 text contrast on white (WCAG AA), and links
// underlined, so that a link in a sentence is told apart by more than its colour.
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 5 },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  // People who ask for less motion get none (and axe sees dialogs finished, not fading in).
  respectReducedMotion: true,
  components: {
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } } }),
  },
});
