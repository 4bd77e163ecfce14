/** The teaching sandbox's DOM-free model: clouds from parameters, guided steps, the story. */
export * from './clouds';
export * from './params';
export * from './random';
export * from './steps';
export * from './story';
export * from './handles';
