export { templateGenerator, templateFiles } from './template-generator.js';
