// A CommonJS module task: `module.exports = fn` is the default export.
module.exports = function triple(value) {
  return value * 3;
};
