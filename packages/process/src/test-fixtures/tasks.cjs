// A CommonJS task module: module.exports is the default export, exports.name a named one.
module.exports = function multiply(left, right) {
  return left * right;
};

module.exports.subtract = function subtract(left, right) {
  return left - right;
};
