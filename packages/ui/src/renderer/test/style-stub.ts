/** Jest stands in for CSS imports with this empty module. */
export default {};
