// HTML attributes the JSX typings of @kitajs/html lack.
declare namespace JSX {
  interface HtmlImageTag {
    /** Which srcset candidate fits the layout: the image's display width at each viewport. */
    sizes?: undefined | string;
  }
  interface HtmlVideoTag {
    /** How much to fetch before the viewer presses play: `metadata` gets the length and first frame only. */
    preload?: undefined | 'none' | 'metadata' | 'auto';
    /** Plays in the page on iPhones instead of going full screen. */
    playsinline?: undefined | boolean;
  }
}
