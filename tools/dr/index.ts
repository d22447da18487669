export { postureLines } from './posture-lines';
export { drMain, DR_USAGE } from './dr-main';
