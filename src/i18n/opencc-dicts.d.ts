// OpenCC's dictionaries as opencc-js ships them: "source target1 target2|…" in one string.
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
