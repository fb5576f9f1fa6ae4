/** Options of `HttpFrontDoorModule.forRoot`. */
export interface HttpFrontDoorModuleOptions {
  /** The service name, on every metric and in health answers. */
  service: string;
}

export const HTTP_FRONT_DOOR_OPTIONS = 'cliffracer:http:options';
