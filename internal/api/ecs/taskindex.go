package ecs

// serviceTasks indexes tasks by the service that started them, so that
// what concerns one service (its counts in DescribeServices, ListTasks of
// a service, the scheduler's snapshot) costs its own tasks, not every
// task of the region: with 1,000 services that is 1,000 times less.
type serviceTasks map[string]map[string]*Task // service ARN → task ARN → task

func (ix serviceTasks) add(t *Task) {
	if t.ServiceARN == "" {
		return
	}
	m := ix[t.ServiceARN]
	if m == nil {
		m = map[string]*Task{}
		ix[t.ServiceARN] = m
	}
	m[*t.TaskArn] = t
}

func (ix serviceTasks) remove(t *Task) {
	m := ix[t.ServiceARN]
	delete(m, *t.TaskArn)
	if len(m) == 0 {
		delete(ix, t.ServiceARN)
	}
}

// putTask stores a task under its ARN and in the index. Callers hold the lock.
func (s *Store) putTask(arn string, t *Task) {
	if old := s.tasks[arn]; old != nil {
		s.byService.remove(old)
	}
	s.tasks[arn] = t
	s.byService.add(t)
}

// dropTask forgets a task. Callers hold the lock.
func (s *Store) dropTask(arn string) {
	if t := s.tasks[arn]; t != nil {
		s.byService.remove(t)
	}
	delete(s.tasks, arn)
}
