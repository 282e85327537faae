// A CommonJS module: the default export is `module.exports`, named exports are its fields.
function subtract(left, right) {
  return left - right;
}
subtract.shout = (text) => `${String(text).toUpperCase()}!`;
module.exports = subtract;
