/**
 * One font stack for every text a person or a counsellor reads (the widget, the console), naming
 * after the system font the fonts that phones and desktops ship for the scripts of the client
 * languages, so Amharic and Tigrinya (Ethiopic) and Sorani (Arabic script with ڕ ڵ ێ ۆ) never fall
 * to boxes: Android's Noto fonts, iOS and macOS (Kefa, Geeza Pro), Windows (Ebrima and Nyala for
 * Ethiopic; Segoe UI covers Arabic, Persian and Kurdish letters).
 */
export const readingFontStack = [
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  '"Noto Sans"',
  '"Noto Sans Arabic"',
  '"Noto Naskh Arabic"',
  '"Geeza Pro"',
  '"Noto Sans Ethiopic"',
  'Kefa',
  'Ebrima',
  'Nyala',
  'Tahoma',
  'sans-serif',
].join(',');
