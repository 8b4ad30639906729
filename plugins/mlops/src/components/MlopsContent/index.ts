export { MlopsContent } from './MlopsContent';
