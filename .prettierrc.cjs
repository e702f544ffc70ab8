// Prettier for XML (OCA's settings; 4 spaces, the indentation of the suite's
// XML). A manual pre-commit hook only, not part of `make lint`: see
// .pre-commit-config.yaml.
/** @type {import('prettier').Config} */
const config = {
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    tabWidth: 4,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
