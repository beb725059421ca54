declare module '@openfn/language-common/util';
