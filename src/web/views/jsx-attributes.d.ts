// HTML attributes the JSX typings of @kitajs/html lack.
declare namespace JSX {
  interface HtmlImageTag {
    /** Which srcset candidate fits the layout: the image's display width at each viewport. */
    sizes?: undefined | string;
  }
}
