// A CommonJS module with named exports.
exports.subtract = function subtract(left, right) {
  return left - right;
};
exports.notAFunction = 'text';
