/** Options of `HttpFrontDoorModule.forRoot`. */
export interface HttpFrontDoorModuleOptions {
  /** The service name, on every metric and in health answers. */
  service: string;
  /**
   * Which instance of the service this process is (`orders-1`), in health answers, so a load
   * balancer's choices can be seen. @default none
   */
  instance?: string;
}

export const HTTP_FRONT_DOOR_OPTIONS = 'cliffracer:http:options';
