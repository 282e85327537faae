// A CommonJS module as compiled from ES module syntax: the function is `exports.default`.
Object.defineProperty(exports, '__esModule', { value: true });
exports.default = function negate(value) {
  return -value;
};
