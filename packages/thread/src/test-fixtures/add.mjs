export default function add(left, right) {
  return left + right;
}
